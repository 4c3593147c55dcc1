"""Notices at each step of a pickup-point delivery: shipped, arrived (PICK-2, elsewhere),
and a reminder a few days before an uncollected parcel goes back (PICK-4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.core.actor import Actor, Role
from lmn.delivery.details import DeliveryRequest
from lmn.notifications.models import Notification
from lmn.reminders.collection import remind_before_return
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_arrived, mark_picked, mark_shipped

MONDAY = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
SYSTEM = Actor.system("reminders")


@pytest.fixture(autouse=True)
def monday() -> Iterator[Any]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def depot(world: World) -> Any:
    f.make_pickup_point()
    return world.actor(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None))


def placed(world: World, **delivery: Any) -> Any:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    details = {
        "destination": "pickup_point",
        "pickup_point_id": "PN-41301",
        "notify_by": "sms",
        "phone": "0701234567",
    } | delivery
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient, lines=[LineDraft(rx.pk, 10)], delivery=DeliveryRequest(**details)
        ),
        actor=world.actor(world.prescriber),
    )
    return w


def test_shipping_notifies_in_the_chosen_channel(world: World, depot: Any) -> None:
    w = mark_shipped(mark_picked(placed(world), actor=depot), actor=depot)
    notice = Notification.objects.get(subject__contains="har skickats")
    assert notice.channel == "sms" and notice.recipient == "+46701234567"
    assert w.number in notice.body and world.diabetes_product.name not in notice.body


@pytest.mark.rule("AKUT-4")
def test_an_emergency_home_delivery_gets_no_shipped_notice(world: World, depot: Any) -> None:
    w = placed(world, destination="door", speed="emergency", pickup_point_id="", notify_by="")
    mark_shipped(mark_picked(w, actor=depot), actor=depot)
    assert not Notification.objects.filter(subject__contains="har skickats").exists()


@pytest.mark.rule("PICK-4")
def test_one_reminder_days_before_an_uncollected_parcel_goes_back(world: World, depot: Any) -> None:
    w = placed(world, notify_by="email", email="anna@example.se")
    for step in (mark_picked, mark_shipped, mark_arrived):
        w = step(w, actor=depot)
    too_early = w.collect_by - dt.timedelta(days=4)
    assert remind_before_return(actor=SYSTEM, today=too_early) == 0

    day = w.collect_by - dt.timedelta(days=3)
    assert remind_before_return(actor=SYSTEM, today=day) == 1
    assert remind_before_return(actor=SYSTEM, today=day + dt.timedelta(days=1)) == 0  # once

    reminder = Notification.objects.get(subject__startswith="Hämta din försändelse")
    assert reminder.channel == "email" and reminder.recipient == "anna@example.se"
    assert f"{w.collect_by:%Y-%m-%d}" in reminder.body
