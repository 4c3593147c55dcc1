"""Identity conversion (ASYL-7, UT-6): a patient's withdrawal history follows them."""

from __future__ import annotations

from lmn.patients.models import Patient

from ..models import Withdrawal


def move_to_patient(old: Patient, new: Patient) -> int:
    """The old record's withdrawals now belong to the new one. Inside the conversion's
    transaction, which audits it; returns how many."""
    return Withdrawal.objects.filter(patient=old).update(patient=new)


def has_withdrawals(patient: Patient) -> bool:
    return Withdrawal.objects.filter(patient=patient).exists()
