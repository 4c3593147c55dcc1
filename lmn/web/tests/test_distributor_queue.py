"""The distributor's work queue shows a joint order's parcels together, with the ward's
designated place and the daytime window they are delivered in (SAM-1, SAM-3)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from lmn.core.actor import Role
from lmn.delivery.details import DeliveryRequest
from lmn.testing import factories as f
from lmn.withdrawals.joint import JointOrderDraft, ResidentLines, place_joint_order
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Any:
    with time_machine.travel(MONDAY, tick=False):
        yield


def _rx(world: Any, patient: Any) -> Any:
    return f.make_prescription(
        patient=patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


@pytest.mark.rule("SAM-1")
@pytest.mark.rule("SAM-3")
def test_a_joint_orders_parcels_are_grouped_under_its_place_and_window(
    client_for: Any, world: Any
) -> None:
    ward = world.ward
    ward.delivery_place = "Godsmottagningen, entréplan"
    ward.save(update_fields=["delivery_place"])
    items = []
    for pnr in f.PERSONNUMMER[1:3]:
        resident = f.make_resident(ward, pnr)
        items.append(ResidentLines(resident, [LineDraft(_rx(world, resident).pk, 10)]))
    order = place_joint_order(
        JointOrderDraft(ward=ward, residents=items), actor=f.actor_of(world.orderer, ward)
    )
    single, _ = place_withdrawal(
        WithdrawalDraft(patient=world.patient, lines=[LineDraft(_rx(world, world.patient).pk, 5)]),
        actor=world.actor(world.prescriber),
    )
    depot = client_for(f.make_user("distributor", unit=None, role=Role.DISTRIBUTOR))

    html = depot.get(reverse("web:distributor")).content.decode()

    group = re.search(
        rf'<tbody[^>]*id="joint-{order.number}-placed"[^>]*>(.*?)</tbody>', html, re.S
    )
    assert group is not None
    inside = " ".join(group.group(1).split())
    assert f"Samleverans {order.number}" in inside.replace('<span class="lmn-reference">', "")
    assert "Leveransplats: Godsmottagningen, entréplan" in inside
    assert "Levereras dagtid 08.00–16.00" in inside
    for w in order.withdrawals.all():
        assert f'id="row-{w.number}"' in inside
    assert f'id="row-{single.number}"' not in inside
    assert f'id="row-{single.number}"' in html
    assert "Tolvan" not in html  # still no patient names in the queue


@pytest.mark.rule("SAM-3")
def test_a_single_parcel_to_the_ward_names_the_ward_and_its_place(
    client_for: Any, world: Any
) -> None:
    ward = world.ward
    ward.delivery_place = "Godsmottagningen, entréplan"
    ward.save(update_fields=["delivery_place"])
    resident = f.make_resident(ward, f.PERSONNUMMER[1])
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=resident,
            lines=[LineDraft(_rx(world, resident).pk, 10)],
            delivery=DeliveryRequest(destination="unit"),
        ),
        actor=f.actor_of(world.orderer, ward),
    )
    depot = client_for(f.make_user("distributor", unit=None, role=Role.DISTRIBUTOR))
    html = depot.get(reverse("web:distributor")).content.decode()
    row = re.search(rf'<tr[^>]*id="row-{w.number}"[^>]*>(.*?)</tr>', html, re.S)
    assert row is not None
    assert "Solgårdens särskilda boende" in row.group(1)
    assert "Godsmottagningen, entréplan" in row.group(1)
