"""The withdrawal page: cancel and change until picked, and the timeline of every step."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lmn.core.actor import Role
from lmn.delivery.details import DeliveryRequest
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_picked


@pytest.fixture
def placed(world: World) -> Any:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(patient=world.patient, lines=[LineDraft(rx.pk, 10)]),
        actor=world.actor(world.prescriber),
    )
    return w


def test_the_page_offers_cancel_and_change_and_shows_the_timeline(
    world: World, placed: Any, client_for: ClientFor
) -> None:
    html = client_for(world.prescriber).get(reverse("web:withdrawal", args=[placed.number]))
    text = html.content.decode()
    assert reverse("web:cancel_withdrawal", args=[placed.number]) in text
    assert reverse("web:change_delivery", args=[placed.number]) in text
    assert 'id="timeline"' in text and "Beställt" in text
    assert world.prescriber.display_name in text


def test_cancel_confirms_then_cancels_and_the_timeline_says_so(
    world: World, placed: Any, client_for: ClientFor
) -> None:
    client = client_for(world.prescriber)
    url = reverse("web:cancel_withdrawal", args=[placed.number])
    assert "Makulera uttaget" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert Withdrawal.objects.get(pk=placed.pk).status == "cancelled"
    text = response.content.decode()
    assert "är makulerat" in text and "Makulerat" in text
    assert reverse("web:cancel_withdrawal", args=[placed.number]) not in text


def test_after_picking_the_page_explains_and_nothing_is_cancelled(
    world: World, placed: Any, client_for: ClientFor
) -> None:
    mark_picked(placed, actor=world.actor(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None)))
    client = client_for(world.prescriber)
    url = reverse("web:cancel_withdrawal", args=[placed.number])
    response = client.post(url)
    assert response.status_code == 200
    assert "redan plockat" in response.content.decode()
    assert Withdrawal.objects.get(pk=placed.pk).status == "picked"
    page = client.get(reverse("web:withdrawal", args=[placed.number])).content.decode()
    assert url not in page and "Plockat hos distributören" in page and "Distributören" in page


def test_change_reports_every_problem_at_its_field_then_saves(
    world: World, placed: Any, client_for: ClientFor
) -> None:
    f.make_pickup_point()
    client = client_for(world.prescriber)
    url = reverse("web:change_delivery", args=[placed.number])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"destination": "pickup_point", "pickup_point_id": "PN-41301"})
    assert "Välj hur patienten eller kontaktpersonen ska aviseras" in bad.content.decode()
    assert Withdrawal.objects.get(pk=placed.pk).destination == "door"
    ok = client.post(
        url,
        {
            "destination": "pickup_point",
            "pickup_point_id": "PN-41301",
            "notify_by": "sms",
            "phone": "0701234567",
            "name_on_door": "on",
        },
        follow=True,
    )
    stored = Withdrawal.objects.get(pk=placed.pk)
    assert (stored.destination, stored.pickup_point_id) == ("pickup_point", "PN-41301")
    assert "Leveransuppgifterna ändrade" in ok.content.decode()


def test_a_protected_patients_withdrawal_keeps_going_to_the_unit(
    world: World, client_for: ClientFor
) -> None:
    hidden = f.make_patient(f.PERSONNUMMER[5], protected=True, protected_unit=world.unit)
    rx = f.make_prescription(
        patient=hidden, product=world.diabetes_product, prescriber=world.prescriber, unit=world.unit
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=hidden,
            lines=[LineDraft(rx.pk, 10)],
            delivery=DeliveryRequest(destination="unit", care_of="Eva Ansvarig"),
        ),
        actor=world.actor(world.prescriber),
    )
    client = client_for(world.prescriber)
    url = reverse("web:change_delivery", args=[w.number])
    client.post(url, {"destination": "unit", "care_of": "Bo Ansvarig"})
    stored = Withdrawal.objects.get(pk=w.pk)
    assert (stored.destination, stored.care_of) == ("unit", "Bo Ansvarig")
    assert stored.street == world.unit.street
