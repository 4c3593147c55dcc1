"""The entitlement function: what may be withdrawn now, and when next (GEN-3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmn.prescriptions.entitlement import compute_entitlement
from lmn.prescriptions.models import Prescription

TODAY = dt.date(2026, 11, 27)


def rx(amount: int = 2, per: str = "day", *, valid_from: dt.date = TODAY, months: int = 12) -> Any:
    return Prescription(
        consumption_amount=amount,
        consumption_period=per,
        valid_from=valid_from,
        valid_until=valid_from.replace(year=valid_from.year + months // 12),
        max_supply_days=90,
        status="active",
    )


@pytest.mark.rule("GEN-3")
def test_first_withdrawal_may_cover_ninety_days() -> None:
    ent = compute_entitlement(
        rx(2, "day"), withdrawn_total=0, first_withdrawal_on=None, today=TODAY, max_supply_days=90
    )
    assert ent.withdrawable_now == 180
    assert ent.next_possible_date is None


@pytest.mark.rule("GEN-3")
def test_after_a_full_withdrawal_next_is_possible_when_thirty_days_remain() -> None:
    # 180 units at 2/day cover 90 days from today: the next withdrawal opens 60 days later
    ent = compute_entitlement(
        rx(2, "day"),
        withdrawn_total=180,
        first_withdrawal_on=TODAY,
        today=TODAY,
        max_supply_days=90,
    )
    assert ent.withdrawable_now == 0
    assert ent.next_possible_date == TODAY + dt.timedelta(days=60)
    later = compute_entitlement(
        rx(2, "day"),
        withdrawn_total=180,
        first_withdrawal_on=TODAY,
        today=TODAY + dt.timedelta(days=60),
        max_supply_days=90,
    )
    # coverage ends in 30 days; may top up to today + 90: 60 days more at 2/day
    assert later.withdrawable_now == 120


@pytest.mark.rule("GEN-3")
def test_weekly_and_monthly_consumption_count_seven_and_thirty_days() -> None:
    week = compute_entitlement(
        rx(7, "week"), withdrawn_total=0, first_withdrawal_on=None, today=TODAY, max_supply_days=90
    )
    month = compute_entitlement(
        rx(30, "month"),
        withdrawn_total=0,
        first_withdrawal_on=None,
        today=TODAY,
        max_supply_days=90,
    )
    assert week.withdrawable_now == 90
    assert month.withdrawable_now == 90


@pytest.mark.rule("GEN-3")
def test_coverage_never_goes_past_validity() -> None:
    p = rx(1, "day", valid_from=TODAY - dt.timedelta(days=340), months=12)
    ent = compute_entitlement(
        p,
        withdrawn_total=330,
        first_withdrawal_on=TODAY - dt.timedelta(days=340),
        today=TODAY,
        max_supply_days=90,
    )
    # valid until 25 days from now, covered until 10 days ago: 25 days remain
    assert p.valid_until - TODAY == dt.timedelta(days=25)
    assert ent.withdrawable_now == 25


@pytest.mark.rule("GEN-3")
def test_expired_and_future_prescriptions_allow_nothing() -> None:
    expired = rx(1, valid_from=TODAY - dt.timedelta(days=400))
    future = rx(1, valid_from=TODAY + dt.timedelta(days=5))
    e1 = compute_entitlement(
        expired, withdrawn_total=0, first_withdrawal_on=None, today=TODAY, max_supply_days=90
    )
    e2 = compute_entitlement(
        future, withdrawn_total=0, first_withdrawal_on=None, today=TODAY, max_supply_days=90
    )
    assert (e1.withdrawable_now, e1.next_possible_date, e1.reason) == (
        0,
        None,
        "prescription_expired",
    )
    assert (e2.withdrawable_now, e2.next_possible_date) == (0, TODAY + dt.timedelta(days=5))


@pytest.mark.rule("GEN-3")
# timings vary with the machine's load; what is checked is the outcome, not the speed
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amount=st.integers(1, 50),
    per=st.sampled_from(["day", "week", "month"]),
    orders=st.lists(st.integers(0, 120), min_size=1, max_size=12),
)
def test_withdrawing_what_is_allowed_never_exceeds_ninety_days_ahead(
    amount: Any, per: Any, orders: Any
) -> None:
    """Whatever the rhythm of withdrawals, coverage stays within today + 90 days."""
    p = rx(amount, per)
    total, first, day = 0, None, TODAY
    for gap in orders:
        day = day + dt.timedelta(days=gap)
        ent = compute_entitlement(
            p, withdrawn_total=total, first_withdrawal_on=first, today=day, max_supply_days=90
        )
        if ent.withdrawable_now:
            first = first or day
            total += ent.withdrawable_now
            covered_days = total / p.per_day
            assert first + dt.timedelta(days=int(covered_days)) <= min(
                day + dt.timedelta(days=90), p.valid_until
            )
        else:
            assert ent.next_possible_date is None or ent.next_possible_date > day
