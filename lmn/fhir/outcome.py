"""Refusals as OperationOutcome: our stable code in issue.details.coding, the Swedish
message in issue.diagnostics, the status as the REST API would answer it."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.functional import Promise

from lmn.core.errors import Problem

from .codes import ERROR_CODE, FHIR_JSON


class FhirError(Exception):
    """A refusal the adapter decides itself (a body that does not parse, a bad search)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        issue_type: str = "invalid",
        field: str | None = None,
    ) -> None:
        self.status = status
        self.problems = [Problem(code=code, message=message, field=field)]
        self.issue_type = issue_type
        super().__init__(f"{status} {code}")


def issue(problem: Problem, *, issue_type: str, severity: str = "error") -> dict[str, Any]:
    out: dict[str, Any] = {
        "severity": severity,
        "code": issue_type,
        "details": {"coding": [{"system": ERROR_CODE, "code": problem.code}]},
        "diagnostics": problem.message,
    }
    if problem.field:
        out["expression"] = [problem.field]
    return out


def outcome(issues: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": issues}


def _lazy_text(value: object) -> str:
    if isinstance(value, Promise):  # a role's or a status's label (gettext_lazy)
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def fhir_response(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    with translation.override("sv"):  # FHIR answers in Swedish, as the API does
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_lazy_text)
    response = HttpResponse(
        text,
        status=status,
        content_type=f"{FHIR_JSON}; charset=utf-8",
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def refusal(
    status: int, problems: list[Problem], *, issue_type: str, **headers: str
) -> HttpResponse:
    return fhir_response(
        outcome([issue(p, issue_type=issue_type) for p in problems]), status, **headers
    )
