"""Looking up one withdrawal by its number, with the read (or the miss) audited."""

from __future__ import annotations

import re

from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.core.errors import NotFound

from .models import Withdrawal
from .queries import withdrawals_for

WITHDRAWAL_NUMBER = re.compile(r"^U\d{8}$")


def get_withdrawal(
    number: str, *, actor: Actor, channel: str = "", audit_read: bool = True
) -> Withdrawal:
    """The withdrawal if the actor may look it up (withdrawals_for), else NotFound.

    Out of scope answers exactly like missing (SKYDD-1), and both are audited.
    `audit_read=False` where the caller's service audits what it does with it (a label
    print, a shipment step).
    """
    wanted = number.strip().upper()
    found = None
    if WITHDRAWAL_NUMBER.match(wanted):
        found = (
            withdrawals_for(actor)
            .select_related("patient", "ordering_unit", "ordered_by")
            .filter(number=wanted)
            .first()
        )
    if found is None:
        record(
            "withdrawals.withdrawal.read",
            actor=actor,
            outcome="not_found",
            channel=channel,
            data={"number": wanted if WITHDRAWAL_NUMBER.match(wanted) else "(ogiltigt)"},
        )
        raise NotFound()
    if audit_read:
        record(
            "withdrawals.withdrawal.read",
            actor=actor,
            patient=found.patient,
            obj=found,
            channel=channel,
        )
    return found
