"""The one place that says what time it is, in the region's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now() -> dt.datetime:
    return timezone.now()


def local_now() -> dt.datetime:
    return now().astimezone(STOCKHOLM)


def today() -> dt.date:
    """Today's date in Sweden (not UTC: just after midnight they differ)."""
    return local_now().date()


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")
