"""Entitlement across versions (RX-1): random changes and withdrawals never bring more than
the consumption allows over any window, and a change never opens a second full supply."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmn.prescriptions.entitlement import compute_entitlement
from lmn.prescriptions.lifecycle import rates_after
from lmn.prescriptions.models import PERIOD_DAYS, Prescription

START = dt.date(2026, 1, 5)
MAX_SUPPLY = 90


def rx(amount: int, per: str) -> Prescription:
    return Prescription(
        consumption_amount=amount,
        consumption_period=per,
        valid_from=START,
        valid_until=START + dt.timedelta(days=365),
        max_supply_days=MAX_SUPPLY,
        status="active",
    )


def rate_on(p: Prescription, day: dt.date) -> Fraction:
    """The consumption in force on `day`, read independently of the code under test."""
    rate = Fraction(0)
    for since, d in p.rates():
        if since is None or since <= day:
            rate = d
    return rate


def allowed(p: Prescription, first: dt.date, last: dt.date) -> Fraction:
    """Day by day: what the consumption in force allows on the days first..last-1."""
    total, day = Fraction(0), first
    while day < last:
        total += rate_on(p, day)
        day += dt.timedelta(days=1)
    return total


consumption = st.tuples(st.integers(1, 40), st.sampled_from(sorted(PERIOD_DAYS)))
step = st.one_of(
    st.tuples(st.just("change"), st.integers(0, 45), consumption),
    st.tuples(st.just("withdraw"), st.integers(0, 45), st.floats(0.05, 1.0)),
)


@pytest.mark.rule("RX-1")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=consumption, steps=st.lists(step, min_size=1, max_size=25))
def test_no_window_gets_more_than_the_consumption_allows(first: Any, steps: Any) -> None:
    p = rx(*first)
    day = START
    made: list[tuple[dt.date, int]] = []
    for kind, gap, what in steps:
        day += dt.timedelta(days=gap)
        if kind == "change":
            for name, value in rates_after(p, what[0], what[1], day).items():
                setattr(p, name, value)
            continue
        ent = compute_entitlement(
            p,
            withdrawn_total=sum(q for _d, q in made),
            first_withdrawal_on=made[0][0] if made else None,
            today=day,
            max_supply_days=MAX_SUPPLY,
            history=made,
        )
        quantity = max(1, int(ent.withdrawable_now * what)) if ent.withdrawable_now else 0
        if not quantity:
            continue
        made.append((day, quantity))
        # every window [a, day] ending at this withdrawal: no more than the consumption in
        # force allows from a up to one longest supply past today
        for a, _q in made:
            in_window = sum(q for d, q in made if a <= d <= day)
            assert in_window <= allowed(p, a, day + dt.timedelta(days=MAX_SUPPLY)), (a, made)


@pytest.mark.rule("RX-1")
def test_changing_after_a_full_withdrawal_opens_no_second_supply() -> None:
    p = rx(2, "day")
    first = compute_entitlement(
        p, withdrawn_total=0, first_withdrawal_on=None, today=START, max_supply_days=90
    )
    assert first.withdrawable_now == 180
    made = [(START, 180)]
    next_day = START + dt.timedelta(days=1)
    for name, value in rates_after(p, 3, "day", next_day).items():
        setattr(p, name, value)
    after = compute_entitlement(
        p, withdrawn_total=180, first_withdrawal_on=START, today=next_day, max_supply_days=90,
        history=made,
    )  # fmt: skip
    # 2 used on day one; 178 left cover 59 days at the new 3 a day: nothing yet
    assert after.withdrawable_now == 0
    assert after.covered_until == next_day + dt.timedelta(days=59)


@pytest.mark.rule("RX-1")
def test_a_raised_consumption_is_not_granted_backwards() -> None:
    """80 days at 1 a day, then 10 a day: the 80 days are not counted at 10."""
    p = rx(1, "day")
    made = [(START, 90)]
    change_day = START + dt.timedelta(days=80)
    for name, value in rates_after(p, 10, "day", change_day).items():
        setattr(p, name, value)
    ent = compute_entitlement(
        p, withdrawn_total=90, first_withdrawal_on=START, today=change_day, max_supply_days=90,
        history=made,
    )  # fmt: skip
    # 10 left on hand, 90 days ahead at 10 a day: 900 - 10
    assert ent.withdrawable_now == 890


@pytest.mark.rule("RX-1")
def test_a_lower_consumption_never_takes_back_what_was_delivered() -> None:
    p = rx(4, "day")
    made = [(START, 360)]
    for name, value in rates_after(p, 1, "day", START + dt.timedelta(days=10)).items():
        setattr(p, name, value)
    ent = compute_entitlement(
        p, withdrawn_total=360, first_withdrawal_on=START,
        today=START + dt.timedelta(days=10), max_supply_days=90, history=made,
    )  # fmt: skip
    # 40 used, 320 on hand at 1 a day: covered 320 days on, nothing now, nothing negative
    assert ent.withdrawable_now == 0
    assert ent.covered_until == START + dt.timedelta(days=330)


@pytest.mark.rule("GEN-3")
def test_two_withdrawals_on_one_day_after_a_gap_bring_one_supply_not_two() -> None:
    p = rx(1, "day")
    made = [(START, 1)]
    later = START + dt.timedelta(days=100)
    e1 = compute_entitlement(
        p, withdrawn_total=1, first_withdrawal_on=START, today=later, max_supply_days=90,
        history=made,
    )  # fmt: skip
    assert e1.withdrawable_now == 90
    made.append((later, 25))
    e2 = compute_entitlement(
        p, withdrawn_total=26, first_withdrawal_on=START, today=later, max_supply_days=90,
        history=made,
    )  # fmt: skip
    # the 25 cover from today, not from where the first one ran out: 65 more, not 90
    assert e2.withdrawable_now == 65
    assert e2.covered_until == later + dt.timedelta(days=25)
