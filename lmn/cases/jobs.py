"""Scheduled jobs of customer service (OOA-3) and the register sync (SKYDD-7, deaths).

Each is a task of its own (settings.LMN_SCHEDULED_JOBS); run_case_jobs runs both at once.
"""

from __future__ import annotations

import logging

from lmn.core.actor import Actor

from .followups import flag_out_of_assortment_deliveries
from .register_sync import sync_register

log = logging.getLogger(__name__)


def follow_ups() -> dict[str, int]:
    """OOA-3: open follow-ups; idempotent, so running often is safe."""
    flagged = flag_out_of_assortment_deliveries()
    if flagged:
        # counts only: nothing personal in application logs
        log.warning("case jobs: %d follow-ups opened", len(flagged))
    return {"follow_ups": len(flagged)}


def register_sync() -> dict[str, int]:
    """SKYDD-7 and deaths: carry what the register reports; idempotent."""
    synced = sync_register(actor=Actor.system("register-sync"))
    if any(synced.values()):
        log.warning("case jobs: register sync %s", synced)
    return synced


def run_case_jobs() -> dict[str, int]:
    return {**follow_ups(), **register_sync()}
