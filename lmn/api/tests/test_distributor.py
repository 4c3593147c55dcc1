"""The distributor's API: work queue, shipment events, collection and the label.

Time is pinned to a known Monday so that the 14-day pickup deadline is known.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, get_args

import pytest
import time_machine
from django.test import Client

from lmn.api.routes.distributor import ReturnReason
from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.notifications.models import Notification
from lmn.testing import factories as f
from lmn.withdrawals.models import Collection, Withdrawal
from lmn.withdrawals.shipping import RETURN_REASONS

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
QUEUE = "/api/v1/distributor/withdrawals"


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def depot(world: Any) -> Client:
    user = f.make_user("depa", role=Role.DISTRIBUTOR, unit=None)
    return client_for(user, None)


def _place(client: Client, patient: Any, rx: Any, key: str = "k", **delivery: Any) -> str:
    body = {
        "patient_id": patient.pk,
        "lines": [{"prescription_id": rx.pk, "quantity": 10}],
        "delivery": {"destination": "door", "speed": "standard", **delivery},
    }
    r = post_json(client, "/api/v1/withdrawals", body, **{"Idempotency-Key": key})
    assert r.status_code == 201, r.content
    number: str = r.json()["number"]
    return number


def _to_pickup_point(client: Client, world: Any, rx: Any, **extra: Any) -> str:
    f.make_pickup_point()
    details = {
        "destination": "pickup_point",
        "pickup_point_id": "PN-41301",
        "notify_by": "sms",
        "phone": "0701234567",
        "contact_person": "Anna Berg",
    }
    details.update(extra)
    return _place(client, world.patient, rx, **details)


def _event(client: Client, number: str, event: str, **extra: Any) -> Any:
    return post_json(client, f"{QUEUE}/{number}/events", {"event": event, **extra})


def _collect(client: Client, number: str, **overrides: Any) -> Any:
    body = {
        "code": Withdrawal.objects.get(number=number).pickup_code,
        "collector": "recipient",
        "recipient_id_shown": True,
        "collector_id_shown": False,
        "id_document": "körkort",
    }
    body.update(overrides)
    return post_json(client, f"{QUEUE}/{number}/collection", body)


def _keys(value: Any) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.rule("PICK-2")
@pytest.mark.rule("PICK-4")
@pytest.mark.rule("PICK-5")
@pytest.mark.rule("PICK-9")
def test_pickup_point_lifecycle_arrival_notifies_and_the_code_collects(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    # given a withdrawal to a pickup point, notified by SMS
    number = _to_pickup_point(prescriber_client, world, prescription)
    # when the distributor picks, ships and reports it arrived
    for event, status in (("picked", "picked"), ("shipped", "shipped"), ("arrived", "arrived")):
        r = _event(depot, number, event)
        assert r.status_code == 200, r.content
        assert r.json()["status"] == status
    arrived = r.json()
    # then the recipient is notified with the four-digit code and the last day
    w = Withdrawal.objects.get(number=number)
    assert re.fullmatch(r"\d{4}", w.pickup_code)
    note = Notification.objects.get()
    assert (note.channel, note.recipient) == ("sms", "+46701234567")
    assert w.pickup_code in note.body and number in note.body
    assert arrived["pickup"]["collect_by"] == "2026-12-07"
    assert arrived["pickup"]["arrived_at"] is not None
    # and the code never leaves the API
    assert "pickup_code" not in _keys(arrived)
    read = prescriber_client.get(f"/api/v1/withdrawals/{number}")
    assert "pickup_code" not in _keys(read.json())
    # a wrong code is refused
    wrong = f"{(int(w.pickup_code) + 1) % 10_000:04d}"
    assert_error(_collect(depot, number, code=wrong), 422, "PICK-9")
    # the recipient with ID and the right code collects it
    r = _collect(depot, number)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "collected"
    assert r.json()["pickup"]["collected_at"] is not None
    collection = Collection.objects.get(withdrawal=w)
    assert (collection.collector, collection.id_document) == ("recipient", "körkort")
    # nothing more happens to a collected parcel
    assert_error(_event(depot, number, "returned", reason="other"), 422, "invalid_transition")


@pytest.mark.rule("PICK-6")
@pytest.mark.rule("PICK-7")
def test_someone_else_collecting_needs_both_ids_the_contact_person_their_own(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    number = _to_pickup_point(prescriber_client, world, prescription)
    for event in ("picked", "shipped", "arrived"):
        assert _event(depot, number, event).status_code == 200
    other = _collect(
        depot,
        number,
        collector="other",
        recipient_id_shown=False,
        collector_id_shown=True,
        collector_name="Bo Ek",
    )
    assert_error(other, 422, "PICK-6")
    stranger = _collect(
        depot,
        number,
        collector="contact_person",
        recipient_id_shown=False,
        collector_id_shown=True,
        collector_name="Bo Ek",
    )
    assert_error(stranger, 422, "PICK-7")
    contact = _collect(
        depot,
        number,
        collector="contact_person",
        recipient_id_shown=False,
        collector_id_shown=True,
        collector_name="anna berg",
    )
    assert contact.status_code == 200, contact.content
    assert Collection.objects.get().collector == "contact_person"


@pytest.mark.rule("PICK-5")
def test_collection_without_identification_names_every_rule(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    number = _to_pickup_point(prescriber_client, world, prescription)
    for event in ("picked", "shipped", "arrived"):
        _event(depot, number, event)
    r = _collect(depot, number, code="", recipient_id_shown=False, id_document="")
    body = assert_error(r, 422, "PICK-5")
    assert {e["code"] for e in body["errors"]} == {"PICK-5", "PICK-9"}
    assert Withdrawal.objects.get(number=number).status == "arrived"


def test_collection_before_arrival_is_refused(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    number = _to_pickup_point(prescriber_client, world, prescription)
    assert_error(_collect(depot, number, code="1234"), 422, "not_at_pickup_point")


@pytest.mark.rule("AKUT-4")
def test_door_delivery_lifecycle_notifies_nobody(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    number = _place(
        prescriber_client, world.patient, prescription, speed="emergency", phone="0701234567"
    )
    for event in ("picked", "shipped", "delivered"):
        r = _event(depot, number, event)
        assert r.status_code == 200, r.content
    assert r.json()["status"] == "delivered"
    assert r.json()["pickup"] is None
    assert not Notification.objects.exists()


@pytest.mark.rule("AKUT-5")
def test_emergency_to_a_pickup_point_is_notified_by_sms(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    number = _to_pickup_point(
        prescriber_client, world, prescription, speed="emergency", notify_by="letter"
    )
    for event in ("picked", "shipped", "arrived"):
        assert _event(depot, number, event).status_code == 200
    assert Notification.objects.get().channel == "sms"


@pytest.mark.rule("OUT-8")
def test_a_return_needs_a_reason_and_costs_the_paying_unit(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    number = _place(prescriber_client, world.patient, prescription, door_code="1234")
    _event(depot, number, "picked")
    _event(depot, number, "shipped")
    assert_error(_event(depot, number, "returned"), 422, "required")
    assert_error(_event(depot, number, "returned", reason="lost"), 422, "invalid_choice")
    assert_error(_event(depot, number, "delivered", reason="other"), 422, "unexpected_reason")
    r = _event(depot, number, "returned", reason="wrong_door_code")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["return_reason"]) == ("returned", "wrong_door_code")
    assert body["fees"] == [{"kind": "return", "label": "Retur: fel portkod", "amount": "200.00"}]


def test_steps_out_of_order_and_wrong_destination_are_refused(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    number = _place(prescriber_client, world.patient, prescription)
    assert_error(_event(depot, number, "shipped"), 422, "invalid_transition")
    _event(depot, number, "picked")
    _event(depot, number, "shipped")
    assert_error(_event(depot, number, "arrived"), 422, "not_pickup_point")
    assert Withdrawal.objects.get(number=number).status == "shipped"


def test_the_api_return_reasons_are_the_domains() -> None:
    assert set(get_args(ReturnReason)) == set(RETURN_REASONS)


def test_other_roles_get_403_on_every_distributor_endpoint(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    number = _place(prescriber_client, world.patient, prescription)
    service = client_for(world.customer_service, None)
    for client in (prescriber_client, service):
        assert_error(client.get(QUEUE), 403, "distributor_only")
        assert_error(_event(client, number, "picked"), 403, "distributor_only")
        assert_error(_collect(client, number), 403, "distributor_only")
        # unknown numbers too: the role is checked before anything is looked up
        assert_error(_event(client, "U99999999", "picked"), 403, "distributor_only")
    assert Withdrawal.objects.get(number=number).status == "placed"


def test_distributor_endpoints_need_a_token(world: Any) -> None:
    assert_error(Client().get(QUEUE), 401, "not_authenticated")
    assert_error(_event(Client(), "U99999999", "picked"), 401, "not_authenticated")


@pytest.mark.rule("SKYDD-5", "SKYDD-6")
def test_the_distributor_ships_protected_withdrawals_without_seeing_the_patient(
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
    assert_error(_event(depot, "U99999999", "picked"), 404, "not_found")
    assert_error(_event(depot, "nonsense", "picked"), 404, "not_found")
    queue = depot.get(QUEUE)
    assert number in [row["number"] for row in queue.json()]
    assert _event(depot, number, "picked").status_code == 200
    label = depot.get(f"/api/v1/withdrawals/{number}/label.pdf")
    assert label.status_code == 200
    for response in (queue, label):
        assert protected_patient.last_name.encode() not in response.content
    assert Withdrawal.objects.get(number=number).status == "picked"


def _collect_unknown(client: Client, number: str) -> Any:
    body = {
        "code": "0000",
        "collector": "recipient",
        "recipient_id_shown": True,
        "collector_id_shown": False,
        "id_document": "pass",
    }
    return post_json(client, f"{QUEUE}/{number}/collection", body)


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


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "required"),
        ({"event": "teleported"}, "invalid_choice"),
        ({"event": "picked", "at": "now"}, "unknown_field"),
        ({"event": ["picked"]}, "invalid_choice"),
        ({"event": "returned", "reason": 3}, "invalid_choice"),
    ],
)
def test_bad_event_bodies_are_422(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client, body: Any, code: str
) -> None:
    number = _place(prescriber_client, world.patient, prescription)
    assert_error(post_json(depot, f"{QUEUE}/{number}/events", body), 422, code)


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"recipient_id_shown": "yes"}, "invalid_boolean"),
        ({"collector": "neighbour"}, "invalid_choice"),
        ({"id_document": "x" * 31}, "too_long"),
        ({"code": "1\x002"}, "invalid_characters"),
        ({"collector_name": 7}, "invalid_string"),
        ({"extra": 1}, "unknown_field"),
    ],
)
def test_bad_collection_bodies_are_422(
    world: Any,
    prescriber_client: Client,
    prescription: Any,
    depot: Client,
    override: Any,
    code: str,
) -> None:
    number = _to_pickup_point(prescriber_client, world, prescription)
    body = {
        "code": "1234",
        "collector": "recipient",
        "recipient_id_shown": True,
        "collector_id_shown": False,
        "id_document": "pass",
        **override,
    }
    assert_error(post_json(depot, f"{QUEUE}/{number}/collection", body), 422, code)


def _joint_order(world: Any) -> Any:
    from lmn.withdrawals.joint import JointOrderDraft, ResidentLines, place_joint_order
    from lmn.withdrawals.services import LineDraft

    ward = world.ward
    ward.delivery_place = "Godsmottagningen, entréplan"
    ward.save(update_fields=["delivery_place"])
    items = []
    for pnr in f.PERSONNUMMER[1:3]:
        resident = f.make_resident(ward, pnr)
        rx = f.make_prescription(
            patient=resident,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=world.unit,
        )
        items.append(ResidentLines(resident, [LineDraft(rx.pk, 10)]))
    return place_joint_order(
        JointOrderDraft(ward=ward, residents=items), actor=f.actor_of(world.orderer, ward)
    )


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
