"""The notification outbox: queued in the business transaction, sent after it commits,
sent again by the scheduled job when sending failed, and never sent twice.

The SMS and letter gateways are stood in for by the outbox folder under DATA_DIR (one
file per message); each test points DATA_DIR at its own temporary folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import transaction
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings as DjangoSettings

from lmn.core.actor import Role
from lmn.delivery.details import DeliveryRequest
from lmn.notifications.models import Notification
from lmn.notifications.services import queue, send_pending
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.jobs import run_due_jobs
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_arrived, mark_picked, mark_shipped
from lmn.withdrawals.states import WithdrawalStatus

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def outbox(settings: DjangoSettings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path / "outbox"


def _sent(outbox: Path, channel: str = "sms") -> list[str]:
    folder = outbox / channel
    if not folder.exists():
        return []
    return sorted(p.read_text(encoding="utf-8") for p in folder.iterdir())


def _shipped_to_pickup_point(world: World) -> tuple[Withdrawal, Any]:
    """A withdrawal on its way to a pickup point, notified by SMS on arrival (PICK-2)."""
    depot = world.actor(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None))
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    f.make_pickup_point()
    w = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(rx.pk, 10)],
            delivery=DeliveryRequest(
                destination="pickup_point",
                pickup_point_id="PN-41301",
                notify_by="sms",
                phone="0701234567",
            ),
        ),
        actor=world.actor(world.prescriber),
    )[0]
    mark_picked(w, actor=depot)
    mark_shipped(w, actor=depot)
    return w, depot


@pytest.mark.rule("PICK-2")
def test_a_rolled_back_change_leaves_no_notification_and_sends_nothing(
    world: World,
    outbox: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    w, depot = _shipped_to_pickup_point(world)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            mark_arrived(w, actor=depot)
            raise RuntimeError("the request fails after the arrival was recorded")
    assert Withdrawal.objects.get(pk=w.pk).status == WithdrawalStatus.SHIPPED
    assert not Notification.objects.filter(subject__contains="har kommit").exists()
    assert _sent(outbox) == []


@pytest.mark.rule("PICK-2")
def test_the_notification_is_queued_with_the_change_and_sent_only_after_commit(
    world: World,
    outbox: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    w, depot = _shipped_to_pickup_point(world)
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        mark_arrived(w, actor=depot)
        note = Notification.objects.get(
            subject__contains="har kommit"
        )  # written in the arrival's transaction
        assert (note.sent_at, note.attempts) == (None, 0)
        assert _sent(outbox) == []  # not before the commit
    for callback in after_commit:
        callback()
    note.refresh_from_db()
    assert note.sent_at is not None and note.attempts == 1
    [message] = _sent(outbox)
    assert message.startswith("Till: +46701234567")
    assert w.number in message


def test_a_failed_send_stays_queued_and_the_job_sends_it_later(
    world: World, settings: DjangoSettings, tmp_path: Path
) -> None:
    # the "gateway" is unreachable: the outbox folder cannot be made under a plain file
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.DATA_DIR = blocked
    note = queue(channel="sms", recipient="+46701234567", body="Din försändelse har kommit.")
    with pytest.raises(OSError):  # today the failure reaches the job's caller
        send_pending()
    note.refresh_from_db()
    assert (note.sent_at, note.attempts) == (None, 1)

    settings.DATA_DIR = tmp_path  # the gateway answers again
    assert run_due_jobs()["notifications"] == 1
    note.refresh_from_db()
    assert note.sent_at is not None and note.attempts == 2
    assert _sent(tmp_path / "outbox") == ["Till: +46701234567\n\nDin försändelse har kommit.\n"]


def test_running_the_job_twice_sends_each_notification_once(
    world: World,
    outbox: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # the process stopped between commit and send: the after-commit send never ran
    with django_capture_on_commit_callbacks(execute=False):
        queue(channel="sms", recipient="+46701234567", body="Första.")
        queue(channel="sms", recipient="+46701234568", body="Andra.")
    assert run_due_jobs()["notifications"] == 2
    assert run_due_jobs()["notifications"] == 0
    assert send_pending() == 0
    assert len(_sent(outbox)) == 2
    assert sorted(Notification.objects.values_list("attempts", flat=True)) == [1, 1]


def test_a_notification_sent_after_commit_is_not_sent_again_by_the_job(
    world: World,
    outbox: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue(channel="sms", recipient="+46701234567", body="Hej.")
    assert run_due_jobs()["notifications"] == 0
    assert len(_sent(outbox)) == 1


@pytest.mark.rule("PICK-2", "PICK-9")
def test_the_arrival_sms_names_parcel_place_and_code_but_nothing_personal(
    world: World,
    outbox: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    w, depot = _shipped_to_pickup_point(world)
    with django_capture_on_commit_callbacks(execute=True):
        w = mark_arrived(w, actor=depot)
    [message] = _sent(outbox)
    assert w.number in message and w.pickup_code in message
    patient = world.patient
    personal = [
        patient.identifier,
        patient.identifier[2:],  # the personnummer without the century
        patient.first_name,
        patient.last_name,
        patient.street,
        world.diabetes_product.name,  # what the parcel holds says what the patient has
    ]
    for value in filter(None, personal):
        assert str(value) not in message, value
    note = Notification.objects.get(subject__contains="har kommit")
    assert note.patient_id == patient.pk  # the link stays in the database, not in the text
