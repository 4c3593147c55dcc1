"""Finding patients, importing them from the register on first lookup."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat

from lmn.audit.services import Entry, Shown, record, record_in_order, record_many
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound, Problem
from lmn.core.prepared import Prepared, PreparedInsert

from .. import register
from ..identifiers import (
    LmaNumber,
    PersonalNumber,
    looks_like_lma,
    parse_lma,
    parse_personal_number,
)
from ..models import IdentityKind, Patient, PatientAlias, Region, RegisterRecord
from ..queries import patients_visible_to, visible_patient_by_id, visible_to_unit
from .registration import _UT_SUFFIX


def find_patient_by_identifier(raw_identifier: str, *, actor: Actor) -> Patient | None:
    """Find a patient by personnummer in any common format (PAT-1, PAT-2), or by the
    LMA number typed in the same field (ASYL-6).

    A patient not yet known to LMN is imported from the population register, if the
    register may give them to LMN (findable_in_register: PAT-1, PAT-2, SKYDD-1). A
    protected patient outside the actor's unit answers exactly like a missing one.
    A converted identity resolves to the record that now holds the history (ASYL-7,
    UT-6). Every lookup is audited, including those that find nothing.
    """
    if looks_like_lma(raw_identifier):
        return _find_by_lma(parse_lma(raw_identifier, field="identifier"), actor=actor)
    pnr = parse_personal_number(raw_identifier)
    with transaction.atomic():
        patient, known = _by_identifier(pnr.canonical, actor)
        entry = None if known else findable_in_register(pnr)
        if entry is not None:
            patient, imported = _import(entry)
            if imported:  # its import and the search that found it, in one append
                record_in_order(
                    [
                        Entry("patients.patient.imported", patient, patient),
                        Entry("patients.patient.searched", patient, patient),
                    ],
                    actor=actor,
                    new_patient=True,
                )
                return patient
        record(
            "patients.patient.searched",
            actor=actor,
            patient=patient,
            obj=patient,
            outcome="ok" if patient else "not_found",
        )
        return patient


# PAT-1: the register LMN may import from covers these two regions (Västfolket)
REGISTER_REGIONS = frozenset({Region.VASTRA_GOTALAND, Region.HALLAND})


def findable_in_register(pnr: PersonalNumber) -> RegisterRecord | None:
    """The register entry a lookup may import, or None.

    Only a full personnummer registered in Västra Götaland or Halland (PAT-1, PAT-2):
    everyone else is registered by customer service through a case (CH-1), like asylum
    seekers. A protected person answers exactly like a missing one, and nothing of them
    is copied until their own unit registers them through a protected-identity case
    (SKYDD-1, SKYDD-2).
    """
    if pnr.coordination:
        return None
    entry = register.lookup(pnr.canonical)
    if entry is None or entry.protected or entry.region not in REGISTER_REGIONS:
        return None
    return entry


def _by_identifier(identifier: str, actor: Actor) -> tuple[Patient | None, bool]:
    """(the visible patient or None, whether LMN knows the identifier at all).

    One query reads the patient with the identifier and the one an alias of it leads
    to, each with whether the actor may see it. A known identifier is never imported
    again; a converted identity's old record is not visible, its alias leads to the new
    one (ASYL-7, UT-6)."""
    rows: list[Any]  # Patients annotated `visible` and `via_alias`
    if actor.self_service or actor.unit is None:
        rows = list(_known(identifier, patients_visible_to(actor)))
    else:
        rows = _known_in_unit(identifier=identifier, unit=actor.unit.pk)
    direct = next((p for p in rows if not p.via_alias), None)
    if direct is not None and direct.visible:
        return direct, True
    aliased = next((p for p in rows if p.via_alias), None)
    if aliased is None:
        return None, direct is not None
    return (aliased if aliased.visible else None), True


def _known(identifier: str, visible: QuerySet[Patient]) -> QuerySet[Patient]:
    """The patient with the identifier and the one its alias leads to (both unique),
    annotated `visible` (in `visible`) and `via_alias`."""
    seen = Exists(visible.filter(pk=OuterRef("pk")))
    return (
        Patient.objects.filter(identifier=identifier)
        .annotate(visible=seen, via_alias=Value(False))
        .union(
            Patient.objects.filter(aliases__identifier=identifier).annotate(
                visible=seen, via_alias=Value(True)
            ),
            all=True,
        )
    )


# staff in a unit, as patients_visible_to says (visible_to_unit): compiled once
_known_in_unit = Prepared(lambda identifier, unit: _known(identifier, visible_to_unit(unit)))
# a first lookup writes the patient: the INSERT's fixed parts built once
_insert_patient = PreparedInsert(Patient, skip_conflict=True)


def _by_alias(identifier: str, actor: Actor) -> Patient | None:
    """The visible patient the alias a converted identity left under this identifier
    leads to (ASYL-7, UT-6); a lookup by personnummer reads aliases in `_known`."""
    alias = PatientAlias.objects.filter(identifier=identifier).first()
    return None if alias is None else visible_patient_by_id(alias.patient_id, actor=actor)


def _find_by_lma(lma: LmaNumber, *, actor: Actor) -> Patient | None:
    """ASYL-6: the LMA number in the personnummer field. Asylum seekers are not in the
    register (ASYL-1), so nothing is imported: customer service registered them (ASYL-5)."""
    with transaction.atomic():
        patient = (
            patients_visible_to(actor)
            .filter(identity_kind=IdentityKind.LMA, identifier=lma.key)
            .first()
        ) or _by_alias(lma.key, actor)
        record(
            "patients.patient.searched",
            actor=actor,
            patient=patient,
            obj=patient,
            outcome="ok" if patient else "not_found",
            data={"by": "lma"},
        )
        return patient


def search_by_name_and_birth_date(
    name: str, birth_date: dt.date | None, *, actor: Actor, limit: int = 20, channel: str = ""
) -> list[Patient]:
    """Advanced search (UT-5): every word of the name, on the exact birth date.

    The " - UT" suffix may be typed or left out. Only visible patients are listed, so a
    protected person is never among the hits outside their unit (SKYDD-1).
    """
    words = _UT_SUFFIX.sub("", name or "").split()
    problems = []
    if not words or sum(len(w) for w in words) < 2:
        problems.append(Problem("name_required", "Ange patientens namn.", "name"))
    if birth_date is None:
        problems.append(Problem("birth_date_required", "Ange födelsedatum.", "birth_date"))
    if problems:
        raise DomainError(*problems)
    assert birth_date is not None
    qs = patients_visible_to(actor).filter(birth_date=birth_date)
    named = qs.annotate(full_name=Concat("first_name", Value(" "), "last_name"))
    for word in words:
        named = named.filter(Q(full_name__icontains=word))
    found: list[Patient] = list(named.order_by("last_name", "first_name", "pk")[:limit])
    record(
        "patients.patient.searched",
        actor=actor,
        outcome="ok" if found else "not_found",
        channel=channel,
        data={"by": "name_birth_date", "hits": len(found)},
    )
    # every hit is shown with name, birth date and identifier: a read of each patient
    record_many(
        "patients.patient.listed",
        [Shown(patient=p, obj=p, data={"by": "name_birth_date"}) for p in found],
        actor=actor,
        channel=channel,
    )
    return found


def _import(entry: RegisterRecord) -> tuple[Patient, bool]:
    """A findable register person becomes a patient (never a protected one: see
    findable_in_register); whether this lookup imported them (the caller audits)."""
    assert not entry.protected
    patient = Patient(
        identity_kind=IdentityKind.PERSONNUMMER,
        identifier=entry.identifier,
        birth_date=PersonalNumber(entry.identifier, False).birth_date,
        **register.person_fields(entry),
    )
    if _insert_patient(patient):
        return patient, True
    # a concurrent lookup imported the same person first (its INSERT wins the identifier)
    return Patient.objects.get(identifier=entry.identifier), False


def get_patient(patient_id: int, *, actor: Actor, audit_read: bool = True) -> Patient:
    """A visible patient by internal id, audited as a read; NotFound otherwise (a miss
    is audited always). `audit_read=False` for a caller that audits what it does with
    the patient (record_patient_read when it shows them, a service when it writes)."""
    patient = visible_patient_by_id(patient_id, actor=actor)
    if patient is None:
        record(
            "patients.patient.read",
            actor=actor,
            outcome="not_found",
            data={"patient_id": patient_id},
        )
        raise NotFound()
    if audit_read:
        record_patient_read(patient, actor=actor)
    return patient


def record_patient_read(patient: Patient, *, actor: Actor) -> None:
    """Audit that the actor was shown the patient's data."""
    record("patients.patient.read", actor=actor, patient=patient, obj=patient)
