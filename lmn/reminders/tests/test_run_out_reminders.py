"""Run-out reminders (EPAT-3): once per supply period, in the patient's channel, in time
for standard delivery, never to a protected identity, never naming a product in an SMS."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.db import connection

from lmn.audit.models import AuditEvent
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.delivery.calendar import add_working_days
from lmn.delivery.details import DeliveryRequest
from lmn.notifications.models import Notification
from lmn.reminders.models import RunOutReminder
from lmn.reminders.queries import last_reminder_of
from lmn.reminders.services import choose_reminders, send_run_out_reminders
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.queries import entitlement_for
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

START = dt.date(2027, 1, 4)  # a Monday
START_AT = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)
SYSTEM = Actor.system("reminders")
pytestmark = pytest.mark.rule("EPAT-3")


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)


def prescribe(world: World, patient: Any = None) -> Any:
    with at(START):
        return f.make_prescription(
            patient=patient or world.patient,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=world.unit,
            valid_until=START + dt.timedelta(days=365),
        )


def order(world: World, rx: Any, day: dt.date, quantity: int, **delivery: Any) -> Any:
    with at(day):
        w, _ = place_withdrawal(
            WithdrawalDraft(
                patient=rx.patient,
                lines=[LineDraft(rx.pk, quantity)],
                delivery=DeliveryRequest(**({"phone": "0701234567"} | delivery)),
            ),
            actor=world.actor(world.prescriber),
        )
        return w


def run_daily(first: dt.date, last: dt.date) -> list[dt.date]:
    """The job, run every day of the span; answers the days it reminded someone."""
    days = []
    day = first
    while day <= last:
        with at(day):
            if send_run_out_reminders(actor=SYSTEM, today=day):
                days.append(day)
        day += dt.timedelta(days=1)
    return days


def test_exactly_one_reminder_per_supply_period_in_time_for_standard_delivery(
    world: World,
) -> None:
    rx = prescribe(world)
    order(world, rx, START, 90)  # one a day: runs out on day 90
    runs_out = START + dt.timedelta(days=90)

    first_period = run_daily(START, runs_out + dt.timedelta(days=5))

    assert len(first_period) == 1  # exactly one, though the job ran every day
    sent_on = first_period[0]
    assert add_working_days(sent_on, 5) <= runs_out  # ordered then, it arrives in time
    reminder = RunOutReminder.objects.get()
    assert reminder.runs_out_on == runs_out and reminder.sent_on == sent_on
    assert last_reminder_of(world.patient) == reminder

    # the patient orders after the reminder: a new supply period, one more reminder
    next_day = sent_on + dt.timedelta(days=1)
    with at(next_day):
        allowed = entitlement_for(rx, today=next_day).withdrawable_now
    order(world, rx, next_day, allowed)
    second_period = run_daily(sent_on + dt.timedelta(days=1), START + dt.timedelta(days=200))
    assert len(second_period) == 1
    assert RunOutReminder.objects.count() == 2
    assert Notification.objects.filter(subject="Dags att beställa").count() == 2


def test_an_sms_reminder_names_no_product_and_goes_to_the_orders_phone(world: World) -> None:
    rx = prescribe(world)
    order(world, rx, START, 90, phone="0709998877")
    run_daily(START + dt.timedelta(days=60), START + dt.timedelta(days=85))

    sms = Notification.objects.get(subject="Dags att beställa")
    assert sms.channel == "sms" and sms.recipient == "+46709998877"
    assert world.diabetes_product.name not in sms.body
    assert "Beställ senast" in sms.body
    event = AuditEvent.objects.get(action="reminder.run_out")
    assert event.patient_id == world.patient.pk


def test_a_letter_may_say_which_products_it_is_about(world: World) -> None:
    rx = prescribe(world)
    order(world, rx, START, 90)
    choose_reminders(world.patient, channel="letter", actor=world.actor(world.customer_service))
    run_daily(START + dt.timedelta(days=60), START + dt.timedelta(days=85))

    letter = Notification.objects.get(subject="Dags att beställa")
    assert letter.channel == "letter" and world.patient.street in letter.recipient
    assert world.diabetes_product.name in letter.body


def test_running_twice_on_the_same_day_sends_nothing_twice(world: World) -> None:
    rx = prescribe(world)
    order(world, rx, START, 90)
    day = START + dt.timedelta(days=80)
    with at(day):
        assert send_run_out_reminders(actor=SYSTEM, today=day) == 1
        assert send_run_out_reminders(actor=SYSTEM, today=day) == 0
    assert Notification.objects.filter(subject="Dags att beställa").count() == 1


def test_a_protected_identity_is_never_reminded(world: World) -> None:
    patient = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    rx = prescribe(world, patient)
    order(world, rx, START, 90, destination="unit", care_of="Anna Berg")
    assert run_daily(START + dt.timedelta(days=60), START + dt.timedelta(days=95)) == []
    assert not Notification.objects.filter(subject="Dags att beställa").exists()


def test_a_patient_who_opts_out_is_not_reminded_and_the_choice_is_audited(world: World) -> None:
    rx = prescribe(world)
    order(world, rx, START, 90)
    choose_reminders(
        world.patient, channel="", opted_out=True, actor=world.actor(world.customer_service)
    )
    assert run_daily(START + dt.timedelta(days=60), START + dt.timedelta(days=95)) == []
    assert AuditEvent.objects.filter(action="reminder.setting", patient_id=world.patient.pk)


def test_choosing_sms_without_a_number_is_refused_in_plain_words(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        choose_reminders(world.patient, channel="sms", actor=world.actor(world.customer_service))
    assert refused.value.problems[0].field == "phone"
    assert "mobilnummer" in refused.value.problems[0].message


def test_nothing_delivered_yet_or_nothing_left_to_order_means_no_reminder(world: World) -> None:
    prescribe(world)  # never ordered: no supply that could run out
    assert run_daily(START, START + dt.timedelta(days=100)) == []


@pytest.mark.postgres_only  # in-memory SQLite cannot run two writing threads
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_job_at_once_remind_once(world: World) -> None:
    rx = prescribe(world)
    order(world, rx, START, 90)
    day = START + dt.timedelta(days=80)
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            with at(day):
                counts.append(send_run_out_reminders(actor=SYSTEM, today=day))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(counts) == [0, 1]
    assert Notification.objects.filter(subject="Dags att beställa").count() == 1


def test_the_sms_number_saved_in_the_e_service_is_used(world: World) -> None:
    from lmn.delivery.models import DeliveryPreference

    rx = prescribe(world)
    order(world, rx, START, 90, phone="0709998877")
    DeliveryPreference.objects.create(
        patient=world.patient, notify_by="sms", phone="+46701112233", updated_at=START_AT
    )
    run_daily(START + dt.timedelta(days=60), START + dt.timedelta(days=85))
    assert Notification.objects.get(subject="Dags att beställa").recipient == "+46701112233"
