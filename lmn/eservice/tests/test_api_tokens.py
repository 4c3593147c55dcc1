"""The same REST API serves the e-service: a patient token sees only its own patient (and a
proxy's only the patient who gave the power), and orders standard delivery (EPAT-1, EPAT-2)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from lmn.representation.models import PowerOfAttorney
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal

from .conftest import log_in

pytestmark = pytest.mark.django_db


def _token(client: Client) -> str:
    page = client.post("/e-tjanst/api-nyckel/").content.decode()
    found = re.search(r"(lmnp_[\w-]+)", page)
    assert found, page
    return found.group(1)


@pytest.mark.rule("EPAT-1")
@pytest.mark.rule("GEN-4")
def test_a_patient_token_reads_and_orders_only_its_own_patient(es_world: World) -> None:
    other = f.make_patient(f.PERSONNUMMER[1], last_name="Hemligsson")
    api = Client(headers={"Authorization": f"Bearer {_token(log_in(es_world.patient.identifier))}"})
    own = api.get(f"/api/v1/patients/{es_world.patient.pk}")
    assert own.status_code == 200 and own.json()["id"] == es_world.patient.pk
    foreign = api.get(f"/api/v1/patients/{other.pk}")
    missing = api.get("/api/v1/patients/999999")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    assert api.get(f"/api/v1/patients?identifier={other.identifier}").status_code == 403
    rx = es_world.patient.prescriptions.get()
    body = {
        "patient_id": es_world.patient.pk,
        "lines": [{"prescription_id": rx.pk, "quantity": 10}],
        "delivery": {
            "destination": "pickup_point",
            "pickup_point_id": "PN-41301",
            "notify_by": "sms",
            "phone": "0701234567",
        },
    }
    placed = api.post(
        "/api/v1/withdrawals",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    assert placed.status_code in (200, 201), placed.content
    assert Withdrawal.objects.get().ordered_by_role == "patient"
    body["patient_id"] = other.pk
    assert (
        api.post(
            "/api/v1/withdrawals",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": "k2"},
        ).status_code
        == 404
    )


@pytest.mark.rule("EPAT-2")
def test_a_proxy_token_dies_with_the_power(es_world: World) -> None:
    from lmn.core import clock
    from lmn.representation.services import PowerDraft, grant_power

    cs = es_world.actor(es_world.customer_service)
    draft = PowerDraft("197608080813", "Rut", "view", clock.today())
    power = grant_power(es_world.patient, draft, actor=cs)
    proxy = log_in("197608080813")
    key = _token(proxy)
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get(f"/api/v1/patients/{es_world.patient.pk}").status_code == 200
    PowerOfAttorney.objects.filter(pk=power.pk).update(revoked_at=clock.now())
    assert api.get(f"/api/v1/patients/{es_world.patient.pk}").status_code == 401
