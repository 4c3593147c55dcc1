"""The distributor's API: shipment events, notifications, collection and returns."""

from __future__ import annotations

import re
from typing import Any, get_args

import pytest
from django.test import Client

from lmn.api.routes.distributor import EventIn, ReturnReason, StatusName
from lmn.api.tests.conftest import assert_error
from lmn.notifications.models import Notification
from lmn.withdrawals.models import Collection, Withdrawal
from lmn.withdrawals.shipping import RETURN_REASONS, SHIPMENT_EVENTS
from lmn.withdrawals.states import WithdrawalStatus

from .helpers import QUEUE, _collect, _event, _keys, _place, _to_pickup_point


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
    note = Notification.objects.get(subject__contains="har kommit")
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
    assert Notification.objects.get(subject__contains="har kommit").channel == "sms"


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


def test_the_api_events_and_statuses_are_the_domains() -> None:
    assert get_args(EventIn.model_fields["event"].annotation) == SHIPMENT_EVENTS
    assert set(get_args(StatusName)) == set(WithdrawalStatus.values)


@pytest.mark.rule("PDL-1")
def test_a_shipment_step_does_not_give_the_distributor_the_patients_internal_id(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client
) -> None:
    number = _place(prescriber_client, world.patient, prescription)
    answer = _event(depot, number, "picked").json()
    assert answer["status"] == "picked"
    assert "patient_id" not in answer
    shown = depot.get(f"{QUEUE}/{number}").json()
    assert "patient_id" not in shown
