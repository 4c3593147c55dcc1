"""Scheduled jobs: what runs by itself, without anyone asking.

Each is a task of its own (settings.LMN_SCHEDULED_JOBS); run_due_jobs runs both at once.
"""

from __future__ import annotations

import logging

from lmn.notifications.services import send_pending

from .shipping import return_uncollected

log = logging.getLogger(__name__)


def return_uncollected_parcels() -> dict[str, int]:
    """PICK-4: return parcels not collected in time; idempotent."""
    returned = return_uncollected()
    if returned:
        # counts only: nothing personal in application logs
        log.warning("scheduled jobs: %d parcels returned", len(returned))
    return {"returned": len(returned)}


def deliver_notifications() -> dict[str, int]:
    """Send what waits in the notification outbox; idempotent."""
    resent = send_pending()
    if resent:
        log.warning("scheduled jobs: %d notifications sent", resent)
    return {"notifications": resent}


def run_due_jobs() -> dict[str, int]:
    """PICK-4 returns, then the outbox (a returned parcel's notice goes out in the same run)."""
    return {**return_uncollected_parcels(), **deliver_notifications()}
