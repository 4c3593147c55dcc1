"""Working days and delivery promises (GEN-7), in Swedish time.

Public holidays plus the de-facto ones (midsommarafton, julafton, nyårsafton) are
not working days, nor are Saturdays and Sundays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import holidays
from django.conf import settings

from lmn.core.clock import STOCKHOLM


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


def standard_promise(received_at: dt.datetime, *, region: str) -> Promise:
    """Standard delivery: within 5 working days of reaching the distributor, inside the region."""
    received = received_at.astimezone(STOCKHOLM).date()
    policy: dict[str, Any] = settings.LMN_POLICY
    days = int(policy["standard_working_days"])
    if region != policy["home_region"]:
        return Promise(
            None,
            "Leveransen går utanför Västra Götaland: leverans inom 5 arbetsdagar garanteras inte.",
        )
    return Promise(add_working_days(received, days), f"Leverans inom {days} arbetsdagar.")
