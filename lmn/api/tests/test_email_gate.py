"""CON-3 on the API: a prescriber whose e-mail verification is overdue is stopped here too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lmn.audit.models import AuditEvent
from lmn.core import clock

from .conftest import client_for


def _verified(user: Any, days_ago: int) -> None:
    user.email_verified_at = clock.now() - dt.timedelta(days=days_ago)
    user.email_verified_address = user.email
    user.save(update_fields=["email_verified_at", "email_verified_address"])


@pytest.mark.rule("CON-3")
def test_an_overdue_prescriber_token_is_refused_until_the_address_is_verified(
    world: Any, email_gate: None
) -> None:
    _verified(world.prescriber, days_ago=200)  # more than six months ago
    api = client_for(world.prescriber, world.unit)

    refused = api.get("/api/v1/products")
    assert refused.status_code == 403
    error = refused.json()["errors"][0]
    assert error["code"] == "CON-3"
    assert "e-postadress" in error["message"]
    assert AuditEvent.objects.filter(action="accounts.email_gate.denied").exists()

    _verified(world.prescriber, days_ago=1)
    assert api.get("/api/v1/products").status_code == 200


@pytest.mark.rule("CON-3")
def test_a_never_verified_doctor_is_refused_but_customer_service_is_not_gated(
    world: Any, email_gate: None
) -> None:
    doctor = client_for(world.doctor, world.unit).get("/api/v1/products")
    assert doctor.status_code == 403
    assert doctor.json()["errors"][0]["code"] == "CON-3"
    assert client_for(world.customer_service).get("/api/v1/products").status_code == 200
