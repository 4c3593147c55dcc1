"""The ward's joint order: fields only for what can be ordered now, and a summary first."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import JointOrder, Withdrawal
from lmn.withdrawals.queries import entitlements_for
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def friday() -> Iterator[None]:
    with time_machine.travel(FRIDAY, tick=False):
        yield


@pytest.fixture
def ward(world: Any) -> Any:
    world.ward.delivery_place = "Godsmottagningen, entréplan"
    world.ward.save()
    return world.ward


def _rx(world: Any, patient: Any, product: Any = None) -> Any:
    nutrition = product is not None and product.area.code == "nutrition"
    return f.make_prescription(
        patient=patient,
        product=product or world.diabetes_product,
        prescriber=world.dietitian if nutrition else world.prescriber,
        unit=world.unit,
        amount=2,
    )


def _use_up(world: Any, rx: Any) -> None:
    """Withdraw all the prescription allows now, so the next is possible only later."""
    now = entitlements_for([rx])[rx.pk].withdrawable_now
    place_withdrawal(
        WithdrawalDraft(patient=rx.patient, lines=[LineDraft(rx.pk, now)]),
        actor=f.actor_of(world.orderer, world.ward),
    )


@pytest.mark.rule("SAM-1", "SAM-4")
def test_only_what_can_be_ordered_now_has_a_field(
    client_for: ClientFor, world: World, ward: Any
) -> None:
    a, b = (f.make_resident(ward, pnr) for pnr in f.PERSONNUMMER[1:3])
    now_a, now_b = _rx(world, a), _rx(world, b)
    waiting = _rx(world, a, f.make_product("incontinence", name="Bältesskydd"))
    _use_up(world, waiting)
    _rx(world, b, world.nutrition_product)
    html = client_for(world.orderer).get(reverse("web:new_joint_order")).content.decode()
    fields = set(re.findall(r'name="qty_(\d+)"', html))
    assert fields == {str(now_a.pk), str(now_b.pk)}
    assert "kan beställas från" in html  # the used-up one, with its date
    assert "nutrition beställs för sig" in html
    overview = client_for(world.orderer).get(reverse("web:ward")).content.decode()
    assert "1 av 2 förskrivningar kan tas ut nu" in overview


@pytest.mark.rule("SAM-1", "SAM-3")
def test_the_summary_comes_before_the_order_and_edit_keeps_the_entries(
    client_for: ClientFor, world: World, ward: Any
) -> None:
    a, b = (
        f.make_resident(ward, pnr, first_name=n)
        for pnr, n in zip(f.PERSONNUMMER[1:3], ("Anna", "Bertil"), strict=True)
    )
    ra, rb = _rx(world, a), _rx(world, b)
    client = client_for(world.orderer)
    url = reverse("web:new_joint_order")
    data = {f"qty_{ra.pk}": "10", f"qty_{rb.pk}": "20", "contact_person": "Eva"}
    summary = client.post(url, data).content.decode()
    assert "Kontrollera sambeställningen" in summary
    assert "Godsmottagningen, entréplan" in summary and "08.00–16.00" in summary
    assert "Anna" in summary and "Bertil" in summary
    assert re.search(r"10 \S+ " + re.escape(world.diabetes_product.name), summary)
    assert "Inga extra kostnader" in summary
    assert f'name="qty_{ra.pk}" value="10"' in summary
    assert not Withdrawal.objects.exists()

    edit = client.post(url, {**data, "action": "edit"}).content.decode()
    assert "Fortsätt till sammanfattning" in edit
    assert 'value="20"' in edit
    assert not Withdrawal.objects.exists()

    placed = client.post(url, {**data, "action": "place"})
    assert placed.status_code == 302
    assert JointOrder.objects.get().withdrawals.count() == 2
