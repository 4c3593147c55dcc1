"""Scheduled jobs of customer service (OOA-3) and the register sync (SKYDD-7)."""

from __future__ import annotations

import logging

from lmn.core.actor import Actor
from lmn.patients.services import sync_protection_from_register

from .followups import flag_out_of_assortment_deliveries

log = logging.getLogger(__name__)


def run_case_jobs() -> dict[str, int]:
    """Each job is idempotent, so running often is safe."""
    flagged = flag_out_of_assortment_deliveries()
    locked = sync_protection_from_register(actor=Actor.system("register-sync"))
    if flagged or locked:
        # counts only: nothing personal in application logs
        log.warning("case jobs: %d follow-ups opened, %d records locked", len(flagged), locked)
    return {"follow_ups": len(flagged), "locked": locked}
