"""Fixtures for the REST API tests: authenticated clients and common test data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lmn.accounts.models import Membership
from lmn.accounts.services import issue_token
from lmn.testing import factories as f


def token_for(user: Any, unit: Any = None) -> str:
    membership = Membership.objects.get(user=user, unit=unit, active=True)
    key, _ = issue_token(membership)
    return key


def client_for(user: Any, unit: Any = None) -> Client:
    """A test client that sends the user's bearer token for `unit` on every request."""
    return Client(headers={"Authorization": f"Bearer {token_for(user, unit)}"})


@pytest.fixture
def email_gate() -> None:
    """Request this to keep the CON-3 e-mail gate on; other API tests start verified."""


@pytest.fixture(autouse=True)
def _emails_verified(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Personas' e-mail addresses count as verified unless a test asks for `email_gate`,
    so tests of other operations are not refused by the e-mail gate first (CON-3)."""
    if "email_gate" in request.fixturenames:
        return
    monkeypatch.setattr("lmn.api.auth.email_gate_closed", lambda actor, *, today: False)


@pytest.fixture
def as_user(world: Any) -> Callable[..., Client]:
    """as_user(world.orderer, world.ward) → a client acting as that membership."""

    def make(user: Any, unit: Any = "default") -> Client:
        if unit == "default":
            membership = Membership.objects.filter(user=user, active=True).first()
            assert membership is not None
            unit = membership.unit
        return client_for(user, unit)

    return make


@pytest.fixture
def prescriber_client(world: Any) -> Client:
    return client_for(world.prescriber, world.unit)


@pytest.fixture
def prescription(world: Any) -> Any:
    """One test strip a day for world.patient: 90 may be withdrawn now (90-day supply)."""
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=1,
        per="day",
    )


@pytest.fixture
def protected_patient(world: Any) -> Any:
    """A patient with protected identity, visible only inside world.unit (SKYDD-1)."""
    return f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)


def post_json(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response has `status` and the API's error shape with `code` among its errors."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"errors"}
    assert body["errors"], body
    for err in body["errors"]:
        assert set(err) == {"code", "field", "message"}
        assert isinstance(err["message"], str) and err["message"]
    assert code in [e["code"] for e in body["errors"]], body
    return body
