"""Scheduled invoicing (settings.LMN_SCHEDULED_JOBS)."""

from __future__ import annotations

import datetime as dt

from lmn.core import clock
from lmn.core.actor import Actor

from .rules import month_start
from .services.run import run_invoicing


def monthly_invoicing() -> dict[str, int]:
    """Last month's invoices (INV-1). Idempotent: a daily run issues only what is missing,
    e.g. a payer held back last time for a missing invoice address."""
    last_month = month_start(month_start(clock.today()) - dt.timedelta(days=1))
    run = run_invoicing(last_month, actor=Actor.system("invoicing"))
    return {"issued": run.issued, "problems": len(run.problems)}
