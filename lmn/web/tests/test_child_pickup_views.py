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


@pytest.mark.rule("PICK-8")
def test_the_distributor_registers_a_guardian_collecting_for_a_child(
    client_for: Any, world: Any
) -> None:
    from lmn.core.actor import Role
    from lmn.delivery.details import DeliveryRequest
    from lmn.withdrawals.models import Collection
    from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
    from lmn.withdrawals.shipping import mark_arrived, mark_picked, mark_shipped

    child = f.make_child()
    point = f.make_pickup_point()
    rx = f.make_prescription(
        patient=child, product=world.diabetes_product, prescriber=world.prescriber, unit=world.unit
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=child,
            lines=[LineDraft(rx.pk, 10)],
            delivery=DeliveryRequest(
                destination="pickup_point",
                pickup_point_id=point.code,
                notify_by="sms",
                phone="0701234567",
            ),
        ),
        actor=world.actor(world.prescriber),
    )
    distributor = f.make_user("distributor", unit=None, role=Role.DISTRIBUTOR)
    for step in (mark_picked, mark_shipped, mark_arrived):
        w = step(w, actor=f.actor_of(distributor))
    client = client_for(distributor)
    url = reverse("web:collection", args=[w.number])
    page = client.get(url).content.decode()
    assert "Mottagaren är under 18 år." in page
    assert 'value="guardian"' in page
    data = {
        "code": w.pickup_code,
        "collector": "guardian",
        "collector_id_shown": "on",
        "id_document": "Körkort",
        "collector_name": "Anna Tolvansson",
    }
    refused = client.post(url, data).content.decode()
    assert "utdrag ur folkbokföringen (personbevis) som visar vårdnaden" in refused
    assert not Collection.objects.exists()
    done = client.post(url, {**data, "register_extract_shown": "on"})
    assert done.status_code == 302
    assert Collection.objects.get(withdrawal=w).register_extract_shown is True
