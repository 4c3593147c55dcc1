"""The shipping label as printed: read back from the PDF, text and barcode.

A pickup point is named with its address (PICK-1), a ward with its goods reception and a
joint order with its daytime window (SAM-1, SAM-3); the door code never stands on the
parcel (OUT-5), the carrier gets it as delivery data instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pypdfium2
import pytest
import time_machine
import zxingcpp

from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.delivery.details import DeliveryRequest
from lmn.testing import factories as f
from lmn.withdrawals.joint import JointOrderDraft, ResidentLines, place_joint_order
from lmn.withdrawals.labels import render_label
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipment import read_shipment

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Any:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def depot(world: Any) -> Any:
    return world.actor(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None))


def _rx(world: Any, patient: Any) -> Any:
    return f.make_prescription(
        patient=patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


def _order(world: Any, **delivery: Any) -> Any:
    return place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(_rx(world, world.patient).pk, 10)],
            delivery=DeliveryRequest(**delivery),
        ),
        actor=world.actor(world.prescriber),
    )[0]


def _printed(w: Any, depot: Any) -> tuple[str, list[str]]:
    """The label's text (whitespace folded, as lines may wrap) and its decoded barcodes."""
    page = pypdfium2.PdfDocument(render_label(w, actor=depot))[0]
    text = " ".join(page.get_textpage().get_text_range().split())
    return text, [r.text for r in zxingcpp.read_barcodes(page.render(scale=3).to_pil())]


@pytest.fixture
def joint_order(world: Any) -> Any:
    ward = world.ward
    ward.delivery_place = "Godsmottagningen, entréplan"
    ward.save(update_fields=["delivery_place"])
    residents = [f.make_resident(ward, pnr) for pnr in f.PERSONNUMMER[1:3]]
    items = [ResidentLines(p, [LineDraft(_rx(world, p).pk, 10)]) for p in residents]
    return place_joint_order(
        JointOrderDraft(ward=ward, residents=items), actor=f.actor_of(world.orderer, ward)
    )


@pytest.mark.rule("PICK-1")
def test_the_pickup_label_names_the_pickup_point_with_its_address(world: Any, depot: Any) -> None:
    f.make_pickup_point()
    w = _order(
        world,
        destination="pickup_point",
        pickup_point_id="PN-41301",
        notify_by="sms",
        phone="0701234567",
    )
    text, barcodes = _printed(w, depot)
    assert "Tolvan Tolvansson" in text  # the name the ID is checked against (PICK-5)
    assert "Utlämningsställe: ICA Nära Linné Linnégatan 10 413 04 Göteborg" in text
    assert barcodes == [w.number]


@pytest.mark.rule("OUT-5")
def test_the_door_code_is_delivery_data_never_on_the_parcel(world: Any, depot: Any) -> None:
    world.patient.dwelling = "multi_family"
    world.patient.save()
    w = _order(world, door_code="4711")
    text, barcodes = _printed(w, depot)
    assert "4711" not in text and "Portkod" not in text
    assert "Storgatan 1" in text and barcodes == [w.number]
    # the carrier gets it with the delivery data, and that read is audited
    assert read_shipment(w, actor=depot).door_code == "4711"
    assert AuditEvent.objects.filter(
        action="withdrawals.shipment.read", patient_id=world.patient.pk
    ).exists()


@pytest.mark.rule("SAM-1")
@pytest.mark.rule("SAM-3")
def test_a_joint_order_label_shows_ward_goods_reception_and_daytime_window(
    world: Any, depot: Any, joint_order: Any
) -> None:
    for w in joint_order.withdrawals.all():
        text, barcodes = _printed(w, depot)
        assert w.patient.name in text
        assert "Avdelning: Solgårdens särskilda boende" in text
        assert "Godsmottagning: Godsmottagningen, entréplan" in text
        assert f"SAMLEVERANS {joint_order.number} – levereras dagtid 08.00–16.00" in text
        assert barcodes == [w.number]


@pytest.mark.rule("SAM-3")
def test_a_single_order_to_the_ward_shows_its_goods_reception(world: Any, depot: Any) -> None:
    ward = world.ward
    ward.delivery_place = "Godsmottagningen, entréplan"
    ward.save(update_fields=["delivery_place"])
    resident = f.make_resident(ward, f.PERSONNUMMER[1])
    w = place_withdrawal(
        WithdrawalDraft(
            patient=resident,
            lines=[LineDraft(_rx(world, resident).pk, 10)],
            delivery=DeliveryRequest(destination="unit"),
        ),
        actor=f.actor_of(world.orderer, ward),
    )[0]
    text, _ = _printed(w, depot)
    assert "Avdelning: Solgårdens särskilda boende" in text
    assert "Godsmottagning: Godsmottagningen, entréplan" in text
    assert "SAMLEVERANS" not in text
