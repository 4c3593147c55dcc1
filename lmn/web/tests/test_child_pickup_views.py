"""The portal's order summary for a child at a pickup point says who may collect (PICK-8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from lmn.testing import factories as f

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CHILD_TEXT = "Ett barn med giltig legitimation får hämta paketet själv"
GUARDIAN_TEXT = "utdrag ur folkbokföringen (personbevis)"


@pytest.fixture(autouse=True)
def monday() -> Any:
    with time_machine.travel(MONDAY, tick=False):
        yield


def _summary(client: Any, world: Any, patient: Any) -> str:
    point = f.make_pickup_point()
    rx = f.make_prescription(
        patient=patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    data = {
        f"qty_{rx.pk}": "10",
        "destination": "pickup_point",
        "speed": "standard",
        "pickup_point_id": point.code,
        "notify_by": "sms",
        "phone": "070-123 45 67",
        "name_on_door": "on",
        "idempotency_key": "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a11",
    }
    response = client.post(
        reverse("web:withdrawal_preview", args=[patient.pk]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html: str = response.content.decode()
    assert 'id="preview-notices"' in html  # the summary was made, not refused
    return html


@pytest.mark.rule("PICK-8")
def test_the_summary_for_a_child_says_who_may_collect(client_for: Any, world: Any) -> None:
    html = _summary(client_for(world.prescriber), world, f.make_child())
    assert CHILD_TEXT in html and GUARDIAN_TEXT in html
    assert "vuxen närstående som kontaktperson" in html


@pytest.mark.rule("PICK-8")
def test_the_summary_for_an_adult_has_no_child_text(client_for: Any, world: Any) -> None:
    html = _summary(client_for(world.prescriber), world, world.patient)
    assert CHILD_TEXT not in html and GUARDIAN_TEXT not in html
