"""Finding what a request body names, within what the actor may see."""

from __future__ import annotations

from lmn.core.actor import Actor
from lmn.core.errors import NotFound
from lmn.patients.models import Patient
from lmn.patients.queries import patients_visible_to


def visible_patient(patient_id: int, *, actor: Actor) -> Patient:
    """The patient a write names; a protected one outside the unit answers like a missing one."""
    patient = patients_visible_to(actor).filter(pk=patient_id).first()
    if patient is None:
        raise NotFound()
    return patient
