"""The distributor's API: the work queue, the label and the carrier's delivery data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for
from lmn.audit.models import AuditEvent
from lmn.testing import factories as f

from .helpers import QUEUE, _event, _joint_order, _place, _to_pickup_point


def test_work_queue_lists_open_withdrawals_earliest_promise_first(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    standard = _place(prescriber_client, world.patient, prescription, key="a")
    emergency = _place(
        prescriber_client,
        world.patient,
        prescription,
        key="b",
        speed="emergency",
        phone="0701234567",
    )
    done = _place(prescriber_client, world.patient, prescription, key="c")
    for event in ("picked", "shipped", "delivered"):
        _event(depot, done, event)
    rows = depot.get(QUEUE).json()
    assert [row["number"] for row in rows] == [emergency, standard]
    assert rows[0] == {
        "number": emergency,
        "status": "placed",
        "destination": "door",
        "speed": "emergency",
        "placed_at": rows[0]["placed_at"],
        "promised_delivery_date": "2026-11-24",
        "city": "Göteborg",
        "pickup_point_id": "",
        "joint_order": None,
    }
    delivered = depot.get(QUEUE, {"status": "delivered"}).json()
    assert [row["number"] for row in delivered] == [done]
    assert_error(depot.get(QUEUE, {"status": "lost"}), 422, "invalid_choice")
    assert_error(depot.get(QUEUE, {"limit": 0}), 422, "out_of_range")
    assert len(depot.get(QUEUE, {"limit": 1}).json()) == 1


@pytest.mark.rule("OUT-9")
def test_label_is_a_pdf_for_the_distributor_and_staff_and_is_audited(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    number = _place(prescriber_client, world.patient, prescription, leave_outside=True)
    for client in (depot, prescriber_client):
        r = client.get(f"/api/v1/withdrawals/{number}/label.pdf")
        assert r.status_code == 200, r.content[:200]
        assert r["Content-Type"] == "application/pdf"
        assert r.content.startswith(b"%PDF")
        assert number in r["Content-Disposition"]
    assert AuditEvent.objects.filter(action="withdrawals.label.printed").count() == 2
    assert_error(depot.get("/api/v1/withdrawals/U99999999/label.pdf"), 404, "not_found")


@pytest.mark.rule("SKYDD-1")
def test_label_of_a_protected_patient_outside_the_unit_is_404(
    world: Any, protected_patient: Any
) -> None:
    rx = f.make_prescription(
        patient=protected_patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    inside = client_for(world.prescriber, world.unit)
    number = _place(inside, protected_patient, rx, destination="unit", care_of="Eva Ansvarig")
    outsider = client_for(world.outsider, world.other_unit)
    assert_error(outsider.get(f"/api/v1/withdrawals/{number}/label.pdf"), 404, "not_found")
    assert inside.get(f"/api/v1/withdrawals/{number}/label.pdf").status_code == 200


@pytest.mark.rule("SAM-1")
@pytest.mark.rule("SAM-3")
def test_the_queue_keeps_a_joint_orders_parcels_together_with_place_and_window(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    before = _place(prescriber_client, world.patient, prescription, key="a")
    order = _joint_order(world)
    after = _place(prescriber_client, world.patient, prescription, key="b")
    rows = depot.get(QUEUE).json()
    members = sorted(w.number for w in order.withdrawals.all())
    numbers = [row["number"] for row in rows]
    assert set(numbers) == {before, after, *members}
    first = numbers.index(members[0])
    assert sorted(numbers[first : first + 2]) == members  # one after another
    expected = {
        "number": order.number,
        "ward": "Solgårdens särskilda boende",
        "ward_customer_number": "603001",
        "place": "Godsmottagningen, entréplan",
        "window": "08.00–16.00",
    }
    for row in rows:
        assert row["joint_order"] == (expected if row["number"] in members else None)
    shipment = depot.get(f"{QUEUE}/{members[0]}").json()
    assert shipment["joint_order"] == expected
    assert shipment["care_home"] == {
        "ward": "Solgårdens särskilda boende",
        "goods_reception": "Godsmottagningen, entréplan",
    }


@pytest.mark.rule("OUT-5")
@pytest.mark.rule("PICK-1")
def test_the_carrier_gets_door_code_and_pickup_point_as_delivery_data(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    door = _place(prescriber_client, world.patient, prescription, key="a", door_code="4711")
    point = _to_pickup_point(prescriber_client, world, prescription, key="b")
    r = depot.get(f"{QUEUE}/{door}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["recipient"], body["door_code"]) == ("Tolvan Tolvansson", "4711")
    assert body["address"] == {"street": "Storgatan 1", "postcode": "41301", "city": "Göteborg"}
    assert body["pickup_point"] is None and body["joint_order"] is None
    assert "4711" not in str(depot.get(QUEUE).json())  # the queue stays without it
    assert depot.get(f"{QUEUE}/{point}").json()["pickup_point"] == {
        "code": "PN-41301",
        "name": "ICA Nära Linné",
        "street": "Linnégatan 10",
        "postcode": "41304",
        "city": "Göteborg",
    }
    assert AuditEvent.objects.filter(action="withdrawals.shipment.read").count() == 2
    assert_error(depot.get(f"{QUEUE}/U99999999"), 404, "not_found")
    assert_error(prescriber_client.get(f"{QUEUE}/{door}"), 403, "distributor_only")


@pytest.mark.rule("SKYDD-6")
def test_the_delivery_data_of_a_protected_patient_show_only_the_unit(
    world: Any, protected_patient: Any, depot: Client
) -> None:
    rx = f.make_prescription(
        patient=protected_patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    number = _place(
        client_for(world.prescriber, world.unit),
        protected_patient,
        rx,
        destination="unit",
        care_of="Eva Ansvarig",
    )
    r = depot.get(f"{QUEUE}/{number}")
    assert r.status_code == 200, r.content
    assert r.json()["recipient"] == world.unit.name
    assert protected_patient.last_name.encode() not in r.content
