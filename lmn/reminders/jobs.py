"""Scheduled reminders: run-out reminders (EPAT-3) and parcels about to be returned."""

from __future__ import annotations

import logging

from lmn.core.actor import Actor

from .collection import remind_before_return
from .services import send_run_out_reminders

log = logging.getLogger(__name__)


def run_out_reminders() -> dict[str, int]:
    """Once per supply period per prescription; idempotent, so running often is safe."""
    sent = send_run_out_reminders(actor=Actor.system("reminders"))
    if sent:
        log.warning("reminders: %d patients reminded", sent)  # a count: nothing personal
    return {"run_out_reminders": sent}


def collection_reminders() -> dict[str, int]:
    """A few days before an uncollected parcel goes back; at most once per parcel."""
    sent = remind_before_return(actor=Actor.system("reminders"))
    if sent:
        log.warning("reminders: %d collection reminders", sent)
    return {"collection_reminders": sent}
