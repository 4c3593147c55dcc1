"""Working days and the standard promise (GEN-7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lmn.delivery.calendar import add_working_days, is_working_day, promise_for
from lmn.delivery.policy import region_policy

STHLM = dt.timezone(dt.timedelta(hours=1))


@pytest.mark.rule("GEN-7")
@pytest.mark.parametrize(
    "day,working",
    [
        (dt.date(2026, 6, 19), False),  # midsommarafton (de facto)
        (dt.date(2026, 12, 24), False),  # julafton (de facto)
        (dt.date(2026, 12, 31), False),  # nyårsafton (de facto)
        (dt.date(2026, 5, 14), False),  # Kristi himmelsfärd
        (dt.date(2026, 11, 28), False),  # a Saturday
        (dt.date(2026, 12, 23), True),
    ],
)
def test_holidays_and_weekends_are_not_working_days(day: Any, working: Any) -> None:
    assert is_working_day(day) is working


@pytest.mark.rule("GEN-7")
def test_five_working_days_skip_christmas() -> None:
    # Monday 21 Dec → 22, 23, 28, 29, 30 December
    assert add_working_days(dt.date(2026, 12, 21), 5) == dt.date(2026, 12, 30)


@pytest.mark.rule("GEN-7")
def test_the_promise_counts_from_the_swedish_date_not_utc(db: None) -> None:
    # 23:30 UTC on Sunday is already Monday 00:30 in Stockholm
    received = dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC)
    policy = region_policy()
    inside = promise_for("standard", received, inside_region=True, policy=policy)
    assert inside.date == dt.date(2026, 12, 7)
    assert promise_for("standard", received, inside_region=False, policy=policy).date is None
