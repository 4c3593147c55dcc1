"""Fixtures for the FHIR tests: bearer tokens as the API issues them, and validation of
every resource answered against fhir.resources' R4B models."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from lmn.accounts.models import Membership, User
from lmn.accounts.services import issue_token
from lmn.core import clock
from lmn.fhir import codes

BASE = "/fhir/r4"


@pytest.fixture(autouse=True)
def _emails_verified(db: None) -> None:
    """CON-3's e-mail gate is tested with the API; here every persona has verified."""
    User.objects.update(email_verified_at=clock.now(), email_verified_address=F("email"))


def token_for(user: Any, unit: Any = None) -> str:
    User.objects.filter(pk=user.pk).update(
        email_verified_at=clock.now(), email_verified_address=F("email")
    )
    membership = Membership.objects.get(user=user, unit=unit, active=True)
    key, _ = issue_token(membership)
    return key


def fhir_client(user: Any, unit: Any = None) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_for(user, unit)}"})


def valid(body: dict[str, Any]) -> dict[str, Any]:
    """The resource (and each resource a Bundle holds) validates as R4; returns it."""
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    for entry in body.get("entry", []):
        valid(entry["resource"])
    return body


def post(client: Client, url: str, body: Any, **headers: str) -> Any:
    data = body if isinstance(body, (str, bytes)) else __import__("json").dumps(body)
    return client.post(BASE + url, data, content_type=codes.FHIR_JSON, headers=headers)


def outcome_code(response: Any, status: int) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(codes.FHIR_JSON)
    body = valid(response.json())
    assert body["resourceType"] == "OperationOutcome"
    issue = body["issue"][0]
    assert issue["diagnostics"]  # the Swedish message
    code: str = issue["details"]["coding"][0]["code"]
    assert issue["details"]["coding"][0]["system"] == codes.ERROR_CODE
    return code
