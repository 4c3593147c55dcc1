"""What may be withdrawn now against a prescription: the one function for it (GEN-3).

Let d be consumption per day and covered_until the day up to which the withdrawals
so far cover consumption, counted from the first withdrawal. A new withdrawal is
possible when covered_until <= today + max_supply/3, and may bring coverage up to
min(today + max_supply, valid_until). A patient who fell behind does not build up a
backlog: coverage never starts before today.
"""

from __future__ import annotations

import datetime as dt
import math
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
) -> Entitlement:
    early = max_supply_days // 3
    d: Fraction = prescription.per_day
    start = first_withdrawal_on or today
    covered_until = (
        start + dt.timedelta(days=math.floor(withdrawn_total / d)) if withdrawn_total else None
    )

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
    already = max(Fraction(withdrawn_total), d * (today - start).days)
    amount = math.floor(d * (target - start).days - already)
    if amount <= 0:
        if target >= prescription.valid_until:
            return Entitlement(0, None, covered_until, "prescription_fully_withdrawn")
        return Entitlement(0, today + dt.timedelta(days=1), covered_until, "too_early")
    return Entitlement(amount, None, covered_until, "ok")
