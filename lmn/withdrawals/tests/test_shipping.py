"""The shipment lifecycle at the distributor (PICK-2, PICK-4..PICK-9, AKUT-4, AKUT-5, OUT-8)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.db import connection
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.catalog.models import Product
from lmn.core.actor import Role
from lmn.core.errors import DomainError, PermissionDenied
from lmn.delivery.details import DeliveryRequest
from lmn.notifications.models import Notification
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Collection, Withdrawal, WithdrawalFee
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import (
    CollectionDraft,
    mark_arrived,
    mark_delivered,
    mark_picked,
    mark_returned,
    mark_shipped,
    register_collection,
    report_shipment_event,
    return_uncollected,
)

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Iterator[Any]:
    """Everything, prescriptions included, happens on one known Monday."""
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def depot(world: World) -> Any:
    user = f.make_user("depa", role=Role.DISTRIBUTOR, unit=None)
    return world.actor(user)


@pytest.fixture
def rx(world: World) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


def order(world: World, rx: Any, **delivery: Any) -> Any:
    if delivery.get("destination") == "pickup_point":
        f.make_pickup_point()
    return place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(rx.pk, 10)],
            delivery=DeliveryRequest(**delivery),
        ),
        actor=world.actor(world.prescriber),
    )[0]


def to_pickup(world: World, rx: Any, depot: Any, **extra: Any) -> Any:
    details = {
        "destination": "pickup_point",
        "pickup_point_id": "PN-41301",
        "notify_by": "sms",
        "phone": "0701234567",
    }
    details.update(extra)
    w = order(world, rx, **details)
    mark_picked(w, actor=depot)
    mark_shipped(w, actor=depot)
    return mark_arrived(w, actor=depot)


@pytest.mark.rule("PICK-2")
@pytest.mark.rule("PICK-9")
def test_arrival_at_the_pickup_point_notifies_with_a_four_digit_code(
    world: World,
    rx: Any,
    depot: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        w = to_pickup(world, rx, depot)
    assert re.fullmatch(r"\d{4}", w.pickup_code)
    note = Notification.objects.get(subject__contains="har kommit")
    assert (note.channel, note.recipient) == ("sms", "+46701234567")
    assert w.pickup_code in note.body and w.number in note.body
    assert "2026-12-07" in note.body  # PICK-4: collect within 14 days
    assert note.sent_at is not None  # sent after commit


@pytest.mark.rule("PICK-2")
def test_notification_by_e_mail_goes_to_the_address_given(
    world: World,
    rx: Any,
    depot: Any,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        to_pickup(world, rx, depot, notify_by="email", email="anna@example.se", phone="")
    # the shipped notice, then the arrival notice: both to the address given
    assert [m.to for m in mailoutbox] == [["anna@example.se"], ["anna@example.se"]]
    assert "har kommit" in mailoutbox[-1].subject


@pytest.mark.rule("AKUT-5")
def test_emergency_to_a_pickup_point_is_notified_by_sms(world: World, rx: Any, depot: Any) -> None:
    to_pickup(world, rx, depot, speed="emergency", notify_by="letter")
    assert Notification.objects.get(subject__contains="har kommit").channel == "sms"


@pytest.mark.rule("AKUT-4")
def test_emergency_home_delivery_is_not_notified(world: World, rx: Any, depot: Any) -> None:
    w = order(world, rx, speed="emergency", phone="0701234567")
    for step in (mark_picked, mark_shipped, mark_delivered):
        w = step(w, actor=depot)
    assert w.status == "delivered"
    assert Notification.objects.count() == 0


@pytest.mark.rule("PICK-5")
def test_the_recipient_collects_with_identification_and_code(
    world: World, rx: Any, depot: Any
) -> None:
    """An adult recipient; a child's collection is in test_child_pickup.py (PICK-8)."""
    w = to_pickup(world, rx, depot)
    with pytest.raises(DomainError) as err:
        register_collection(
            w, CollectionDraft(w.pickup_code, "recipient", False, False, "pass"), actor=depot
        )
    assert err.value.code == "PICK-5"
    done = register_collection(
        w, CollectionDraft(w.pickup_code, "recipient", True, False, "id-kort"), actor=depot
    )
    assert done.status == "collected"
    assert Collection.objects.get(withdrawal=w).id_document == "id-kort"


@pytest.mark.rule("PICK-6")
def test_someone_else_needs_both_identifications(world: World, rx: Any, depot: Any) -> None:
    w = to_pickup(world, rx, depot)
    with pytest.raises(DomainError) as err:
        register_collection(
            w, CollectionDraft(w.pickup_code, "other", False, True, "körkort", "Bo Ek"), actor=depot
        )
    assert err.value.code == "PICK-6"
    register_collection(
        w, CollectionDraft(w.pickup_code, "other", True, True, "körkort", "Bo Ek"), actor=depot
    )
    assert Collection.objects.get(withdrawal=w).collector_name == "Bo Ek"


@pytest.mark.rule("PICK-7")
def test_the_contact_person_given_at_ordering_needs_only_their_own_id(
    world: World, rx: Any, depot: Any
) -> None:
    w = to_pickup(world, rx, depot, contact_person="Anna Berg")
    with pytest.raises(DomainError) as err:
        register_collection(
            w,
            CollectionDraft(w.pickup_code, "contact_person", False, True, "pass", "Eva Ek"),
            actor=depot,
        )
    assert err.value.code == "PICK-7"
    register_collection(
        w,
        CollectionDraft(w.pickup_code, "contact_person", False, True, "pass", "anna berg"),
        actor=depot,
    )


@pytest.mark.rule("PICK-9")
def test_a_wrong_code_is_refused(world: World, rx: Any, depot: Any) -> None:
    w = to_pickup(world, rx, depot)
    wrong = "0000" if w.pickup_code != "0000" else "1111"
    with pytest.raises(DomainError) as err:
        register_collection(
            w, CollectionDraft(wrong, "recipient", True, False, "pass"), actor=depot
        )
    assert err.value.code == "PICK-9"
    assert Withdrawal.objects.get(pk=w.pk).status == "arrived"


@pytest.mark.rule("PICK-4")
def test_not_collected_in_14_days_goes_back_with_a_return_fee(
    world: World, rx: Any, depot: Any
) -> None:
    w = to_pickup(world, rx, depot)
    assert w.collect_by == dt.date(2026, 12, 7)
    assert return_uncollected(today=dt.date(2026, 12, 7)) == []  # the last day still counts
    assert return_uncollected(today=dt.date(2026, 12, 8)) == [w.number]
    w.refresh_from_db()
    assert (w.status, w.return_reason) == ("returned", "not_collected")
    fee = WithdrawalFee.objects.get(withdrawal=w)
    assert (fee.kind, fee.amount_sek) == ("return", Decimal("200.00"))


@pytest.mark.rule("OUT-8")
def test_a_return_for_a_wrong_door_code_costs_the_paying_unit(
    world: World, rx: Any, depot: Any
) -> None:
    w = order(world, rx, door_code="1234")
    mark_picked(w, actor=depot)
    mark_shipped(w, actor=depot)
    with pytest.raises(DomainError):
        mark_returned(w, reason="because", actor=depot)
    mark_returned(w, reason="wrong_door_code", actor=depot)
    fee = WithdrawalFee.objects.get(withdrawal=w)
    assert fee.payer == w.lines.get().payer
    assert "portkod" in fee.label


def test_only_the_distributor_reports_shipments_and_steps_keep_their_order(
    world: World, rx: Any, depot: Any
) -> None:
    w = order(world, rx)
    with pytest.raises(PermissionDenied):
        mark_picked(w, actor=world.actor(world.prescriber))
    with pytest.raises(DomainError) as err:
        mark_shipped(w, actor=depot)  # not picked yet
    assert err.value.code == "invalid_transition"


@pytest.mark.rule("OUT-9")
def test_the_label_pdf_carries_a_scannable_barcode_and_the_weather_note(
    world: World, rx: Any, depot: Any
) -> None:
    import pypdfium2
    import zxingcpp

    from lmn.withdrawals.labels import render_label

    w = order(world, rx, leave_outside=True, care_of="Familjen Berg", door_code="4711")
    pdf = render_label(w, actor=depot)
    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage().get_text_range()
    assert "c/o Familjen Berg" in text
    assert "skydda" in text and "väder" in text
    decoded = [r.text for r in zxingcpp.read_barcodes(page.render(scale=3).to_pil())]
    assert decoded == [w.number]


@pytest.mark.rule("AKUT-3")
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_emergency_orders_for_the_last_item_exactly_one_wins() -> None:
    world_unit = f.make_unit("602154")
    prescriber = f.make_user(unit=world_unit)
    product = f.make_product("diabetes", stock_quantity=1)
    patients = [f.make_patient(pnr) for pnr in f.PERSONNUMMER[:4]]
    prescriptions = [
        f.make_prescription(patient=p, product=product, prescriber=prescriber, unit=world_unit)
        for p in patients
    ]
    actor = f.actor_of(prescriber)
    outcomes: list[str] = []
    barrier = threading.Barrier(len(prescriptions))

    def attempt(rx: Any) -> None:
        try:
            barrier.wait()
            place_withdrawal(
                WithdrawalDraft(
                    patient=rx.patient,
                    lines=[LineDraft(rx.pk, 1)],
                    delivery=DeliveryRequest(speed="emergency", phone="0701234567"),
                ),
                actor=actor,
            )
            outcomes.append("ok")
        except DomainError as err:
            outcomes.append(err.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(rx,)) for rx in prescriptions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["AKUT-3", "AKUT-3", "AKUT-3", "ok"]
    assert Product.objects.get(pk=product.pk).stock_quantity == 0
    assert Withdrawal.objects.count() == 1


@pytest.mark.rule("PICK-4")
@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_the_worker_returns_overdue_parcels(world: World, rx: Any, depot: Any) -> None:
    from django.core.management import call_command

    w = to_pickup(world, rx, depot)
    with time_machine.travel(MONDAY + dt.timedelta(days=15), tick=False):
        # the worker enqueues the jobs due, runs them and stops (make run runs it without --batch)
        call_command("run_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    w.refresh_from_db()
    assert w.status == "returned"


def test_a_reported_event_moves_the_shipment_one_step_and_needs_a_reason_to_return(
    world: World, rx: Any, depot: Any
) -> None:
    """Portal and API report steps through one service (report_shipment_event)."""
    w = order(world, rx)
    for event in ("picked", "shipped"):
        w = report_shipment_event(w, event, actor=depot)
        assert w.status == event
    with pytest.raises(DomainError) as unknown:
        report_shipment_event(w, "lost", actor=depot)
    assert unknown.value.code == "invalid_event"
    with pytest.raises(DomainError) as no_reason:
        report_shipment_event(w, "returned", actor=depot)
    assert no_reason.value.code == "invalid_return_reason"
    w = report_shipment_event(w, "returned", reason="refused", actor=depot)
    assert (w.status, w.return_reason) == ("returned", "refused")
