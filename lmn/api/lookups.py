"""Finding what a request body names, within what the actor may see."""

from __future__ import annotations

import re

from lmn.core.actor import Actor
from lmn.core.errors import NotFound
from lmn.patients.models import Patient
from lmn.patients.queries import patients_visible_to
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.queries import withdrawals_for

WITHDRAWAL_NUMBER = re.compile(r"^U\d{8}$")


def visible_patient(patient_id: int, *, actor: Actor) -> Patient:
    """The patient a write names; a protected one outside the unit answers like a missing one."""
    patient = patients_visible_to(actor).filter(pk=patient_id).first()
    if patient is None:
        raise NotFound()
    return patient


def find_withdrawal(number: str, *, actor: Actor) -> Withdrawal | None:
    """The withdrawal with this number (U + 8 digits) if the actor may see it, else None.

    A protected patient's withdrawal outside the unit answers like a missing one (SKYDD-1);
    the distributor, who ships them to the unit, sees no patient identity in any answer.
    """
    if not WITHDRAWAL_NUMBER.match(number):
        return None
    return (
        withdrawals_for(actor)
        .select_related("patient", "ordering_unit")
        .filter(number=number)
        .first()
    )


def visible_withdrawal(number: str, *, actor: Actor) -> Withdrawal:
    found = find_withdrawal(number, actor=actor)
    if found is None:
        raise NotFound()
    return found
