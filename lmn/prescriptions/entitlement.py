"""What may be withdrawn now against a prescription: the one function for it (GEN-3).

Let d be consumption per day and covered_until the day up to which the withdrawals
so far cover consumption, counted from the first withdrawal. A new withdrawal is
possible when covered_until <= today + max_supply/3, and may bring coverage up to
min(today + max_supply, valid_until). A patient who fell behind does not build up a
backlog: coverage never starts before today.

Across versions (RX-1) d is piecewise: each consumption applies from the day it was
set, and what the withdrawals so far cover is counted against that history, so a change
never opens a second full supply, and a raised consumption is not granted backwards.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .models import Prescription
from .states import PrescriptionStatus


@dataclass(frozen=True)
class Entitlement:
    withdrawable_now: int
    next_possible_date: dt.date | None
    covered_until: dt.date | None
    reason: str  # "ok" or the stable code of why nothing can be withdrawn now

    def as_dict(self) -> dict[str, object]:
        return {
            "withdrawable_now": self.withdrawable_now,
            "next_possible_date": self.next_possible_date,
        }


def compute_entitlement(
    prescription: Prescription,
    *,
    withdrawn_total: int,
    first_withdrawal_on: dt.date | None,
    today: dt.date,
    max_supply_days: int,
    history: Sequence[tuple[dt.date, int]] | None = None,
) -> Entitlement:
    """`history` is each withdrawal's (day, quantity), oldest first; without it the total
    is taken as withdrawn on the first day (exact for a patient who never fell behind)."""
    early = max_supply_days // 3
    rates = prescription.rates()
    start = first_withdrawal_on or today
    if history is None:
        history = [(start, withdrawn_total)] if withdrawn_total else []
    position = coverage(history, rates)
    covered_until = covered_by(position, start, rates) if withdrawn_total else None

    if prescription.status != PrescriptionStatus.ACTIVE:
        return Entitlement(0, None, covered_until, "prescription_ended")
    if today > prescription.valid_until:
        return Entitlement(0, None, covered_until, "prescription_expired")
    if today < prescription.valid_from:
        return Entitlement(0, prescription.valid_from, covered_until, "prescription_not_yet_valid")
    if prescription.single_withdrawal and withdrawn_total:
        return Entitlement(0, None, covered_until, "single_withdrawal_used")  # SKYDD-3

    if covered_until is not None and covered_until > today + dt.timedelta(days=early):
        next_date = covered_until - dt.timedelta(days=early)
        if next_date > prescription.valid_until:
            return Entitlement(0, None, covered_until, "prescription_fully_withdrawn")
        return Entitlement(0, next_date, covered_until, "too_early")

    target = min(today + dt.timedelta(days=max_supply_days), prescription.valid_until)
    already = max(position, allowance(start, today, rates))
    amount = math.floor(allowance(start, target, rates) - already)
    if amount <= 0:
        if target >= prescription.valid_until:
            return Entitlement(0, None, covered_until, "prescription_fully_withdrawn")
        return Entitlement(0, today + dt.timedelta(days=1), covered_until, "too_early")
    return Entitlement(amount, None, covered_until, "ok")


Rates = Sequence[tuple[dt.date | None, Fraction]]


def _segments(start: dt.date, rates: Rates) -> list[tuple[dt.date, dt.date | None, Fraction]]:
    """(from, until or None for open-ended, per day) from `start` on, in order."""
    segments: list[tuple[dt.date, dt.date | None, Fraction]] = []
    for i, (since, d) in enumerate(rates):
        until = rates[i + 1][0] if i + 1 < len(rates) else None
        begin = max(since or start, start)
        if until is not None and until <= begin:
            continue  # replaced before coverage began (or the same day)
        segments.append((begin, until, d))
    return segments


def allowance(start: dt.date, end: dt.date, rates: Rates) -> Fraction:
    """What the consumption in force each day allows from `start` up to (not including) `end`;
    the last consumption continues into the future."""
    total = Fraction(0)
    for begin, until, d in _segments(start, rates):
        stop = end if until is None else min(until, end)
        if stop > begin:
            total += d * (stop - begin).days
    return total


def coverage(history: Sequence[tuple[dt.date, int]], rates: Rates) -> Fraction:
    """How far the withdrawals reach, as consumption counted from the first one.

    A withdrawal made after the earlier ones ran out starts covering on its own day, not
    back where they ended (no backlog), so the days without cover are counted as passed:
    otherwise two withdrawals on one day after a gap could each bring a full supply.
    """
    if not history:
        return Fraction(0)
    start = history[0][0]
    position = Fraction(0)
    for day, quantity in history:
        position = max(position, allowance(start, day, rates)) + quantity
    return position


def covered_by(quantity: Fraction | int, start: dt.date, rates: Rates) -> dt.date:
    """The first day `quantity` no longer covers, consumed from `start` at the rates in force."""
    left = Fraction(quantity)
    for begin, until, d in _segments(start, rates):
        days = None if until is None else (until - begin).days
        if days is None or d * days >= left:
            return begin + dt.timedelta(days=math.floor(left / d))
        left -= d * days
    raise AssertionError("the last consumption is open-ended")
