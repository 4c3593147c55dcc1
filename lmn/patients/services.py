"""Finding patients, importing them from the register on first lookup."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.core.errors import NotFound

from . import register
from .identifiers import PersonalNumber, parse_personal_number
from .models import IdentityKind, Patient, RegisterRecord
from .queries import patients_visible_to


def find_patient_by_identifier(raw_identifier: str, *, actor: Actor) -> Patient | None:
    """Find a patient by personnummer in any common format (PAT-1, PAT-2).

    A patient not yet known to LMN is imported from the population register. A
    protected patient outside the actor's unit answers exactly like a missing one.
    Every lookup is audited, including those that find nothing.
    """
    pnr = parse_personal_number(raw_identifier)
    with transaction.atomic():
        patient = patients_visible_to(actor).filter(identifier=pnr.canonical).first()
        if patient is None and not Patient.objects.filter(identifier=pnr.canonical).exists():
            entry = register.lookup(pnr.canonical)
            if entry is not None:
                patient = _import(entry, pnr.coordination, actor=actor)
                if patient.protected:
                    patient = None
        record(
            "patients.patient.searched",
            actor=actor,
            patient=patient,
            obj=patient,
            outcome="ok" if patient else "not_found",
        )
        return patient


def _import(entry: RegisterRecord, coordination: bool, *, actor: Actor) -> Patient:
    birth_date = PersonalNumber(entry.identifier, coordination).birth_date
    try:
        with transaction.atomic():
            patient = Patient.objects.create(
                identity_kind=(
                    IdentityKind.SAMORDNINGSNUMMER if coordination else IdentityKind.PERSONNUMMER
                ),
                identifier=entry.identifier,
                first_name=entry.first_name,
                last_name=entry.last_name,
                birth_date=birth_date,
                street=entry.street,
                postcode=entry.postcode,
                city=entry.city,
                dwelling=entry.dwelling,
                resident_region=entry.region,
                region_name=entry.region_name,
                protected=entry.protected,
            )
    except IntegrityError:
        # a concurrent lookup imported the same person first
        return Patient.objects.get(identifier=entry.identifier)
    record("patients.patient.imported", actor=actor, patient=patient, obj=patient)
    return patient


def get_patient(patient_id: int, *, actor: Actor) -> Patient:
    """A visible patient by internal id, audited as a read; NotFound otherwise."""
    patient = patients_visible_to(actor).filter(pk=patient_id).first()
    if patient is None:
        record(
            "patients.patient.read",
            actor=actor,
            outcome="not_found",
            data={"patient_id": patient_id},
        )
        raise NotFound()
    record("patients.patient.read", actor=actor, patient=patient, obj=patient)
    return patient
