"""When a run-out reminder is due (EPAT-3): pure date arithmetic, no queries."""

from __future__ import annotations

import datetime as dt

from lmn.delivery.calendar import add_working_days


def last_order_day(runs_out_on: dt.date, *, working_days: int) -> dt.date:
    """The last day an order with standard delivery still arrives by `runs_out_on`."""
    day = runs_out_on - dt.timedelta(days=working_days)
    while add_working_days(day, working_days) > runs_out_on:
        day -= dt.timedelta(days=1)
    return day


def reminder_day(*, order_by: dt.date, orderable_from: dt.date, margin_days: int) -> dt.date:
    """`margin_days` before the last safe day, so the patient has time to act, but never
    before the day an order is possible at all (GEN-3): a reminder to order what cannot
    yet be ordered would only bring a refusal."""
    return max(order_by - dt.timedelta(days=margin_days), orderable_from)
