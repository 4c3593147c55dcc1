"""Reading a resource a client sends: JSON, the right resourceType, a valid R4 resource.

Every failure is a 400 OperationOutcome naming what is wrong; nothing is written.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from .outcome import FhirError


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def read_resource[R: Resource](request: HttpRequest, model: type[R]) -> R:
    expected = model.get_resource_type()
    try:
        data = json.loads(request.body, parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise FhirError(
            400, "invalid_json", "Begäran är inte giltig JSON.", issue_type="structure"
        ) from None
    if not isinstance(data, dict) or data.get("resourceType") != expected:
        raise FhirError(
            400,
            "wrong_resource_type",
            f"Skicka en resurs av typen {expected}.",
            issue_type="structure",
            field="resourceType",
        )
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "__root__")
        raise FhirError(
            400,
            "invalid_resource",
            f"Resursen är inte en giltig {expected}: {where or 'resursen'} är fel.",
            issue_type="structure",
            field=where or None,
        ) from None


def check_code(value: str | None, allowed: frozenset[str], field: str) -> None:
    """A required binding fhir.resources does not enforce."""
    if value is not None and value not in allowed:
        raise FhirError(
            400,
            "invalid_code",
            f"Koden {value!r} är inte tillåten i {field}.",
            issue_type="code-invalid",
            field=field,
        )


def extension_values(resource: Any, prefix: str) -> dict[str, Any]:
    """The resource's extensions under `prefix`, by their last path segment."""
    out: dict[str, Any] = {}
    for ext in resource.extension or []:
        if ext.url.startswith(prefix):
            name = ext.url[len(prefix) :]
            value = next(
                (
                    getattr(ext, attr)
                    for attr in ("valueString", "valueBoolean", "valueCode", "valueDate")
                    if getattr(ext, attr, None) is not None
                ),
                None,
            )
            out[name] = value
    return out
