"""Scheduled jobs: what runs by itself, without anyone asking."""

from __future__ import annotations

import logging

from lmn.notifications.services import send_pending

from .shipping import return_uncollected

log = logging.getLogger(__name__)


def run_due_jobs() -> dict[str, int]:
    """Run every periodic job once; each is idempotent, so running often is safe."""
    returned = return_uncollected()  # PICK-4
    resent = send_pending()
    if returned or resent:
        # counts only: nothing personal in application logs
        log.warning(
            "scheduled jobs: %d parcels returned, %d notifications sent", len(returned), resent
        )
    return {"returned": len(returned), "notifications": resent}
