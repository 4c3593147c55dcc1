"""Paper vouchers for patients without e-identification: the prescriber chooses them, a
letter with a code goes out, customer service places the order with the code, and the
next voucher follows while something remains (issue 11)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.audit.models import AuditEvent
from lmn.core.errors import DomainError, NotFound
from lmn.delivery.details import DeliveryRequest
from lmn.notifications.models import Notification
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.vouchers.models import Voucher
from lmn.vouchers.services import (
    choose_vouchers,
    display_code,
    redeem_voucher,
    voucher_for_code,
)
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

START = dt.date(2027, 1, 4)


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)


@pytest.fixture(autouse=True)
def start() -> Iterator[Any]:
    with at(START):
        yield


@pytest.fixture
def rx(world: World) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        valid_until=START + dt.timedelta(days=365),
    )


def test_choosing_vouchers_sends_a_letter_with_a_code_and_keeps_its_pdf(
    world: World, rx: Any
) -> None:
    voucher = choose_vouchers(rx, actor=world.actor(world.prescriber))

    assert voucher is not None and voucher.usable_from == START
    assert voucher.letter_pdf[:5] == b"%PDF-"
    letter = Notification.objects.get(subject="Talong för beställning")
    assert letter.channel == "letter" and world.patient.street in letter.recipient
    assert display_code(voucher.code) in letter.body
    assert AuditEvent.objects.filter(action="voucher.issued", patient_id=world.patient.pk)


@pytest.mark.rule("GEN-4")
def test_customer_service_orders_with_the_code_and_the_next_voucher_follows(
    world: World, rx: Any
) -> None:
    first = choose_vouchers(rx, actor=world.actor(world.prescriber))
    assert first is not None
    cs = world.actor(world.customer_service)

    w = redeem_voucher(display_code(first.code).lower(), actor=cs)  # typed as it is read

    assert w.ordered_by == world.customer_service
    assert w.lines.get().quantity == 90  # what the entitlement allowed that day
    first.refresh_from_db()
    assert first.status == "used" and first.withdrawal == w
    following = Voucher.objects.get(status="issued")
    assert following.usable_from > START  # not before the entitlement allows the next order


def test_a_used_voucher_or_one_sent_too_early_is_refused_with_the_reason(
    world: World, rx: Any
) -> None:
    first = choose_vouchers(rx, actor=world.actor(world.prescriber))
    assert first is not None
    cs = world.actor(world.customer_service)
    redeem_voucher(first.code, actor=cs)

    with pytest.raises(DomainError) as used:
        redeem_voucher(first.code, actor=cs)
    assert "redan använd" in used.value.problems[0].message

    following = Voucher.objects.get(status="issued")
    with pytest.raises(DomainError) as early:
        redeem_voucher(following.code, actor=cs)
    assert f"{following.usable_from:%Y-%m-%d}" in early.value.problems[0].message
    assert Voucher.objects.filter(status="used").count() == 1  # nothing placed twice

    with at(following.usable_from):
        assert redeem_voucher(following.code, actor=cs).number


def test_an_unknown_code_is_refused_in_plain_words(world: World) -> None:
    with pytest.raises(DomainError) as unknown:
        voucher_for_code("ABCD-EFGH-JK", actor=world.actor(world.customer_service))
    assert unknown.value.problems[0].field == "code"


def test_the_order_goes_where_the_patients_latest_order_went(world: World, rx: Any) -> None:
    f.make_pickup_point()
    place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(rx.pk, 30)],
            delivery=DeliveryRequest(
                destination="pickup_point",
                pickup_point_id="PN-41301",
                notify_by="sms",
                phone="0701234567",
            ),
        ),
        actor=world.actor(world.prescriber),
    )
    voucher = choose_vouchers(rx, actor=world.actor(world.prescriber))
    assert voucher is not None
    with at(voucher.usable_from):
        w = redeem_voucher(voucher.code, actor=world.actor(world.customer_service))
    assert (w.destination, w.pickup_point_id, w.phone) == (
        "pickup_point",
        "PN-41301",
        "+46701234567",
    )


def test_another_units_prescriber_cannot_choose_vouchers(world: World, rx: Any) -> None:
    with pytest.raises(NotFound):
        choose_vouchers(rx, actor=world.actor(world.outsider))
    assert not Voucher.objects.exists()
