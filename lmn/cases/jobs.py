"""Scheduled jobs of customer service (OOA-3) and the register sync (SKYDD-7, deaths)."""

from __future__ import annotations

import logging

from lmn.core.actor import Actor

from .followups import flag_out_of_assortment_deliveries
from .register_sync import sync_register

log = logging.getLogger(__name__)


def run_case_jobs() -> dict[str, int]:
    """Each job is idempotent, so running often is safe."""
    flagged = flag_out_of_assortment_deliveries()
    synced = sync_register(actor=Actor.system("register-sync"))
    if flagged or any(synced.values()):
        # counts only: nothing personal in application logs
        log.warning("case jobs: %d follow-ups opened, register sync %s", len(flagged), synced)
    return {"follow_ups": len(flagged), **synced}
