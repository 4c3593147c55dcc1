"""Cut-offs and promised dates for emergency and express (AKUT-1, EXPR-2, GEN-7, OUT-3)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from lmn.delivery.calendar import promise_for
from lmn.delivery.models import RegionPolicy

SE = ZoneInfo("Europe/Stockholm")
POLICY = RegionPolicy(region="VG")


def at(y: Any, m: Any, d: Any, hh: Any, mm: Any) -> Any:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SE)


def emergency(received: Any) -> Any:
    return promise_for("emergency", received, inside_region=True, policy=POLICY).date


def express(received: Any) -> Any:
    return promise_for("express", received, inside_region=True, policy=POLICY).date


@pytest.mark.rule("AKUT-1")
@pytest.mark.parametrize(
    "received,expected",
    [
        (at(2026, 11, 25, 13, 59), dt.date(2026, 11, 26)),  # Wednesday before 14 → Thursday
        (at(2026, 11, 25, 14, 0), dt.date(2026, 11, 27)),  # 14:00 is too late → Friday
        (at(2026, 11, 27, 13, 59), dt.date(2026, 11, 30)),  # Friday → Monday
        (at(2026, 11, 27, 14, 0), dt.date(2026, 12, 1)),  # Friday after 14 → Tuesday
        (at(2026, 11, 28, 10, 0), dt.date(2026, 12, 1)),  # Saturday counts as Monday → Tuesday
        (at(2026, 6, 18, 13, 59), dt.date(2026, 6, 22)),  # day before midsommarafton → Monday
        (at(2026, 6, 18, 14, 0), dt.date(2026, 6, 23)),
        (at(2026, 12, 23, 13, 59), dt.date(2026, 12, 28)),  # julafton, juldagen, annandag
        (at(2026, 12, 30, 13, 0), dt.date(2027, 1, 4)),  # nyårsafton, nyårsdagen, weekend
    ],
)
def test_emergency_is_delivered_the_next_weekday_if_received_before_14(
    received: Any, expected: Any
) -> None:
    assert emergency(received) == expected


@pytest.mark.rule("AKUT-1")
def test_the_cutoff_follows_swedish_daylight_saving_time() -> None:
    # Friday 27 March 2026 is winter time (UTC+1), Monday 30 March summer time (UTC+2):
    # 12:59 UTC is 13:59 on the Friday but 14:59 on the Monday
    friday = dt.datetime(2026, 3, 27, 12, 59, tzinfo=dt.UTC)
    monday = dt.datetime(2026, 3, 30, 12, 59, tzinfo=dt.UTC)
    assert emergency(friday) == dt.date(2026, 3, 30)
    assert emergency(monday) == dt.date(2026, 4, 1)
    assert emergency(dt.datetime(2026, 3, 30, 11, 59, tzinfo=dt.UTC)) == dt.date(2026, 3, 31)


@pytest.mark.rule("EXPR-2")
@pytest.mark.parametrize(
    "received,expected",
    [
        (at(2026, 11, 25, 11, 59), dt.date(2026, 11, 25)),  # same day
        (at(2026, 11, 25, 12, 0), dt.date(2026, 11, 26)),
        (at(2026, 11, 27, 12, 30), dt.date(2026, 11, 30)),  # Friday afternoon → Monday
        (at(2026, 6, 19, 9, 0), dt.date(2026, 6, 22)),  # on midsommarafton → Monday
        (at(2026, 12, 24, 8, 0), dt.date(2026, 12, 28)),  # on julafton
    ],
)
def test_express_is_delivered_the_same_day_if_received_before_12(
    received: Any, expected: Any
) -> None:
    assert express(received) == expected


@pytest.mark.rule("OUT-3")
@pytest.mark.rule("GEN-7")
def test_outside_the_region_no_date_is_promised() -> None:
    p = promise_for("standard", at(2026, 11, 25, 9, 0), inside_region=False, policy=POLICY)
    assert p.date is None and "garanteras inte" in p.note
    inside = promise_for("standard", at(2026, 11, 25, 9, 0), inside_region=True, policy=POLICY)
    assert inside.date == dt.date(2026, 12, 2)


def test_a_region_changes_its_cutoff_without_code() -> None:
    late = RegionPolicy(region="VG", emergency_cutoff=dt.time(16, 0))
    p = promise_for("emergency", at(2026, 11, 25, 15, 0), inside_region=True, policy=late)
    assert p.date == dt.date(2026, 11, 26)
    assert "16:00" in p.note
