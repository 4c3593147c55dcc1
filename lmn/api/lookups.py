"""Finding what a request names, within what the actor may see; misses are audited."""

from __future__ import annotations

from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.core.errors import NotFound
from lmn.patients.models import Patient
from lmn.patients.queries import visible_patient_by_id
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.queries import prescriptions_visible_to
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.queries import WITHDRAWAL_NUMBER, get_withdrawal

__all__ = [
    "WITHDRAWAL_NUMBER",
    "visible_patient",
    "visible_prescription",
    "visible_withdrawal",
]


def visible_patient(patient_id: int, *, actor: Actor) -> Patient:
    """The patient a write names; a protected one outside the unit answers like a missing one.

    The write's service audits what it does; a miss is audited here.
    """
    patient = visible_patient_by_id(patient_id, actor=actor)
    if patient is None:
        record(
            "patients.patient.read",
            actor=actor,
            outcome="not_found",
            channel="api",
            data={"patient_id": patient_id},
        )
        raise NotFound()
    return patient


def visible_withdrawal(number: str, *, actor: Actor) -> Withdrawal:
    """For a step on a withdrawal whose service audits it (label print, shipment event)."""
    return get_withdrawal(number, actor=actor, channel="api", audit_read=False)


def visible_prescription(prescription_id: int, *, actor: Actor) -> Prescription:
    """The prescription an action names; one out of scope answers like a missing one.

    The action's service audits what it does; a miss is audited here."""
    found = prescriptions_visible_to(actor).filter(pk=prescription_id).first()
    if found is None:
        record(
            "prescriptions.prescription.read",
            actor=actor,
            outcome="not_found",
            channel="api",
            data={"prescription_id": prescription_id},
        )
        raise NotFound()
    return found
