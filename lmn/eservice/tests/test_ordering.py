"""A patient orders for themselves in the e-service (GEN-4, EPAT-1)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.delivery.models import DeliveryPreference
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal

from .conftest import log_in

pytestmark = pytest.mark.django_db


def _order_form(client: Client) -> dict[str, str]:
    page = client.get("/e-tjanst/bestall/")
    assert page.status_code == 200
    html = page.content.decode()
    key = re.search(r'name="key" value="(\w+)"', html)
    qty = re.search(r'name="(qty_\d+)"[^>]*value="(\d+)"', html) or re.search(
        r'value="(\d+)"[^>]*name="(qty_\d+)"', html
    )
    assert key and qty, html
    return {"key": key.group(1), "qty_name": qty.group(1), "qty": qty.group(2)}


def _post(client: Client, form: dict[str, str], step: str, **extra: str) -> Client:
    data = {
        "key": form["key"],
        form["qty_name"]: form.get("send", "30"),
        "destination": "pickup_point",
        "pickup_point": "PN-41301",
        "phone": "0701234567",
        "notify_by": "sms",
        "save_details": "on",
        "step": step,
        **extra,
    }
    return client.post("/e-tjanst/bestall/", data)  # type: ignore[return-value]


@pytest.mark.rule("GEN-4")
@pytest.mark.rule("EPAT-1")
def test_patient_sees_products_previews_and_orders_to_a_pickup_point_once(
    es_world: World,
) -> None:
    client = log_in(es_world.patient.identifier)
    products = client.get("/e-tjanst/produkter/").content.decode()
    assert "Testremsor Glukos" in products and "Du kan beställa nu" in products
    form = _order_form(client)
    preview = _post(client, form, "preview")
    text = preview.content.decode()  # type: ignore[attr-defined]
    assert "Beräknad leverans" in text and "Ingen avgift" in text
    assert Withdrawal.objects.count() == 0
    first = _post(client, form, "confirm")
    again = _post(client, form, "confirm")  # the same form submitted twice
    assert Withdrawal.objects.count() == 1
    w = Withdrawal.objects.get()
    assert first["Location"] == again["Location"] == f"/e-tjanst/bestallningar/{w.number}/"  # type: ignore[index]
    assert (w.ordered_by_role, w.destination, w.pickup_point_id) == (
        Role.PATIENT,
        "pickup_point",
        "PN-41301",
    )
    placed = AuditEvent.objects.get(action="withdrawals.withdrawal.placed")
    assert placed.actor_hsa_id == f"person:{es_world.patient.identifier}"
    assert placed.patient_id == es_world.patient.pk
    detail = client.get(f"/e-tjanst/bestallningar/{w.number}/").content.decode()
    assert "ICA Nära Linné" in detail and "Patienten (e-tjänsten)" in detail
    saved = DeliveryPreference.objects.get(patient=es_world.patient)
    assert (saved.destination, saved.pickup_point_code) == ("pickup_point", "PN-41301")
    # next time the form starts from the saved details; ordering the rest, the page then
    # says from when the next order can be made
    rest = _order_form(client)
    assert 'value="pickup_point" checked' in client.get("/e-tjanst/bestall/").content.decode()
    _post(client, {**rest, "send": rest["qty"]}, "confirm")
    assert Withdrawal.objects.count() == 2
    products = client.get("/e-tjanst/produkter/").content.decode()
    assert "Du kan beställa igen från" in products
    assert "när 30 dagar återstår av det du redan fått" in products


@pytest.mark.rule("EPAT-1")
@pytest.mark.parametrize("speed", ["express", "emergency"])
def test_express_and_emergency_stay_with_staff(es_world: World, speed: str) -> None:
    from lmn.core.errors import DomainError
    from lmn.delivery.details import DeliveryRequest
    from lmn.representation.queries import actor_for
    from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

    actor = actor_for(es_world.patient.identifier, es_world.patient.pk)
    rx = es_world.patient.prescriptions.get()
    draft = WithdrawalDraft(
        patient=es_world.patient,
        lines=[LineDraft(rx.pk, 10)],
        delivery=DeliveryRequest(speed=speed, phone="0701234567"),
    )
    with pytest.raises(DomainError) as refused:
        place_withdrawal(draft, actor=actor)
    assert "EPAT-1" in {p.code for p in refused.value.problems}
    assert Withdrawal.objects.count() == 0


@pytest.mark.rule("EPAT-1")
def test_cancel_before_picking(es_world: World) -> None:
    client = log_in(es_world.patient.identifier)
    form = _order_form(client)
    _post(client, form, "confirm")
    w = Withdrawal.objects.get()
    response = client.post(f"/e-tjanst/bestallningar/{w.number}/makulera/")
    assert response.status_code == 302
    w.refresh_from_db()
    assert w.status == "cancelled"


@pytest.mark.rule("EPAT-1")
def test_change_the_delivery_before_picking(es_world: World) -> None:
    client = log_in(es_world.patient.identifier)
    _post(client, _order_form(client), "confirm")
    w = Withdrawal.objects.get()
    url = f"/e-tjanst/bestallningar/{w.number}/andra/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"destination": "door", "notify_by": "sms", "door_code": "!!"})
    assert bad.status_code == 200 and "nhsuk-error-summary" in bad.content.decode()
    done = client.post(
        url, {"destination": "door", "notify_by": "sms", "phone": "0701234567", "door_code": "1234"}
    )
    assert done.status_code == 302
    w.refresh_from_db()
    assert (w.destination, w.door_code) == ("door", "1234")
    detail = client.get(f"/e-tjanst/bestallningar/{w.number}/").content.decode()
    assert "Leveransuppgifterna ändrade" in detail
