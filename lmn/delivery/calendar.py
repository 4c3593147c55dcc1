"""Working days and delivery promises (GEN-7), in Swedish time.

Public holidays plus the de-facto ones (midsommarafton, julafton, nyårsafton) are
not working days, nor are Saturdays and Sundays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

from lmn.core.clock import STOCKHOLM

from .models import RegionPolicy


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (day itself not counted)."""
    current = day
    while n > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


@dataclass(frozen=True)
class Promise:
    date: dt.date | None
    note: str


def promise_for(
    speed: str, received_at: dt.datetime, *, inside_region: bool, policy: RegionPolicy
) -> Promise:
    """When a withdrawal that reaches the distributor at `received_at` will be delivered.

    Cut-offs are Swedish local time (daylight saving included). An order on a
    non-working day, or after the cut-off, counts as received the next working day.
    """
    local = received_at.astimezone(STOCKHOLM)
    day = local.date()
    if not inside_region:  # OUT-3
        what = (
            f"leverans inom {policy.standard_working_days} arbetsdagar"
            if speed == "standard"
            else "leveranstiden"
        )
        return Promise(None, f"Leveransen går utanför Västra Götaland: {what} garanteras inte.")
    if speed == "emergency":  # AKUT-1: next weekday if received before the cut-off
        received = (
            day
            if is_working_day(day) and local.time() < policy.emergency_cutoff
            else (add_working_days(day, 1))
        )
        cutoff = policy.emergency_cutoff.strftime("%H:%M")
        return Promise(
            add_working_days(received, 1),
            f"Akutleverans: nästa vardag om beställningen når distributören före {cutoff}.",
        )
    if speed == "express":  # EXPR-2: same day if received before the cut-off
        received = (
            day
            if is_working_day(day) and local.time() < policy.express_cutoff
            else (add_working_days(day, 1))
        )
        cutoff = policy.express_cutoff.strftime("%H:%M")
        return Promise(
            received,
            f"Expressleverans: samma dag om beställningen når distributören före {cutoff}.",
        )
    days = policy.standard_working_days  # GEN-7
    return Promise(add_working_days(day, days), f"Leverans inom {days} arbetsdagar.")
