"""Finding patients, importing them from the register on first lookup."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat

from lmn.audit.services import Shown, record, record_many
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound, Problem

from . import register
from .identifiers import (
    LmaNumber,
    PersonalNumber,
    internal_identifier,
    looks_like_lma,
    parse_lma,
    parse_personal_number,
)
from .models import PERSONAL_KINDS, IdentityKind, Patient, PatientAlias, Region, RegisterRecord
from .queries import patients_visible_to

UT_SUFFIX = " - UT"
_UT_SUFFIX = re.compile(r"\s*[-–]\s*UT\s*$", re.IGNORECASE)


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
        patient = patients_visible_to(actor).filter(identifier=pnr.canonical).first()
        if patient is None:
            patient = _by_alias(pnr.canonical, actor)
        if (
            patient is None
            and not Patient.objects.filter(identifier=pnr.canonical).exists()
            and not PatientAlias.objects.filter(identifier=pnr.canonical).exists()
        ):
            entry = findable_in_register(pnr)
            if entry is not None:
                patient = _import(entry, actor=actor)
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


def _by_alias(identifier: str, actor: Actor) -> Patient | None:
    alias = PatientAlias.objects.filter(identifier=identifier).first()
    if alias is None:
        return None
    return patients_visible_to(actor).filter(pk=alias.patient_id).first()


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


def check_birth_date(birth_date: dt.date | None, *, field: str = "birth_date") -> list[Problem]:
    if birth_date is None:
        return [Problem("birth_date_required", "Ange födelsedatum (ÅÅÅÅMMDD).", field)]
    if birth_date > clock.today():
        return [Problem("birth_date_in_future", "Födelsedatumet kan inte vara i framtiden.", field)]
    if birth_date.year < 1890:
        return [Problem("invalid_birth_date", "Födelsedatumet är inte rimligt.", field)]
    return []


def strip_ut_suffix(last_name: str) -> str:
    return _UT_SUFFIX.sub("", last_name).strip()


def register_lma_patient(
    *,
    first_name: str,
    last_name: str,
    birth_date: dt.date,
    lma: LmaNumber,
    lma_valid_until: dt.date | None,
    actor: Actor,
) -> Patient:
    """Customer service registers an asylum seeker with birth date and LMA number (ASYL-5).

    A second first-prescription for the same LMA number finds the record made the first
    time, if the birth date agrees; otherwise it is refused.
    """
    existing = Patient.objects.filter(identity_kind=IdentityKind.LMA, identifier=lma.key).first()
    if existing is not None:
        if existing.birth_date != birth_date:
            raise DomainError.single(
                "lma_number_taken",
                "LMA-numret är redan registrerat på en person med ett annat födelsedatum.",
                "lma_number",
            )
        return existing
    if (
        Patient.objects.filter(identifier=lma.key).exists()
        or PatientAlias.objects.filter(identifier=lma.key).exists()
    ):
        raise DomainError.single(
            "lma_number_taken", "LMA-numret används redan av en annan identitet.", "lma_number"
        )
    return _register(
        actor=actor,
        identity_kind=IdentityKind.LMA,
        identifier=lma.key,
        lma_card_sequence=lma.card_sequence,
        lma_valid_until=lma_valid_until,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_date=birth_date,
        street="",
        postcode="",
        city="",
        # the region's asylum unit carries the care (ASYL-3): treated as the region's patient
        resident_region="VG",
    )


def register_unlisted_patient(
    *, personal_number: str, first_name: str, last_name: str, actor: Actor
) -> Patient:
    """Customer service registers, on an approved case (CH-1), a person the register does
    not give LMN: registered in another region, or with a samordningsnummer (PAT-1, PAT-2),
    as it registers asylum seekers (ASYL-5). A second case for the same number finds the
    record made the first time."""
    pnr = parse_personal_number(personal_number, field="personal_number")
    existing = Patient.objects.filter(identifier=pnr.canonical).first()
    if existing is not None and not existing.protected and existing.converted_to_id is None:
        return existing
    if existing is not None or PatientAlias.objects.filter(identifier=pnr.canonical).exists():
        raise DomainError.single(
            "identity_taken",
            "Numret används redan av en annan identitet i LMN. Kontakta LMN-administrationen.",
            "personal_number",
        )
    return _register(
        actor=actor,
        identity_kind=(
            IdentityKind.SAMORDNINGSNUMMER if pnr.coordination else IdentityKind.PERSONNUMMER
        ),
        identifier=pnr.canonical,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_date=pnr.birth_date,
        street="",
        postcode="",
        city="",
        resident_region=Region.OTHER,
    )


def _unused_identifier(prefix: str) -> str:
    """An internal identifier no patient has (a clash is improbable; the unique
    constraint stays the guard)."""
    for _ in range(5):
        identifier = internal_identifier(prefix)
        if not Patient.objects.filter(identifier=identifier).exists():
            break
    return identifier


def _register(*, actor: Actor, **fields: Any) -> Patient:
    """Customer service registers a patient the register does not know; audited."""
    patient = Patient.objects.create(**fields)
    record(
        "patients.patient.registered",
        actor=actor,
        patient=patient,
        obj=patient,
        data={"kind": fields["identity_kind"]},
    )
    return patient


def register_ut_patient(
    *, first_name: str, last_name: str, birth_date: dt.date, actor: Actor
) -> Patient:
    """Customer service registers a person without permit: birth date only, and the name
    followed by " - UT" (UT-4). The identifier is internal and never shown."""
    identifier = _unused_identifier("UT")
    return _register(
        actor=actor,
        identity_kind=IdentityKind.UT,
        identifier=identifier,
        first_name=first_name.strip(),
        last_name=strip_ut_suffix(last_name) + UT_SUFFIX,
        birth_date=birth_date,
        street="",
        postcode="",
        city="",
        resident_region="VG",
    )


# A pseudonymous record has no birth date to know; the column is required, so a fixed
# value that no search by a real birth date is meant to reach stands in for it.
PSEUDONYM_BIRTH_DATE = dt.date(1900, 1, 1)


def register_protected_patient(*, unit: Any, actor: Actor) -> Patient:
    """A locked pseudonymous record for a protected person (SKYDD-2): the prescribing unit
    stands as the recipient, with its name and address; nothing about the person."""
    identifier = _unused_identifier("SK")
    return _register(
        actor=actor,
        identity_kind=IdentityKind.PROTECTED,
        identifier=identifier,
        first_name="Skyddad identitet",
        last_name=f"c/o {unit.name}",
        birth_date=PSEUDONYM_BIRTH_DATE,
        street=unit.street,
        postcode=unit.postcode,
        city=unit.city,
        resident_region="VG",
        protected=True,
        protected_unit=unit,
    )


def sync_protection_from_register(*, actor: Actor) -> int:
    """Lock patients the register now marks as protected (SKYDD-7); run by the scheduler.

    The record keeps no unit, so nobody sees its overview, prescriptions or history;
    prescribing starts anew through a protected-identity case. Idempotent.
    """
    protected_numbers = register.protected_identifiers()
    locked = 0
    with transaction.atomic():
        to_lock = list(
            Patient.objects.filter(
                identity_kind__in=PERSONAL_KINDS,
                protected=False,
                identifier__in=protected_numbers,
            ).order_by("pk")
        )
        for patient in to_lock:
            # conditional: a concurrent run locks each record once, and audits it once
            if Patient.objects.filter(pk=patient.pk, protected=False).update(
                protected=True, protected_unit=None
            ):
                record("patients.patient.protected", actor=actor, patient=patient, obj=patient)
                locked += 1
    return locked


def sync_deaths_from_register(*, actor: Actor) -> int:
    """Record the deaths the register reports for patients LMN knows; run by the
    scheduler. What follows a death (stopped withdrawals, ended prescriptions) is done by
    lmn.cases.register_sync. Idempotent: a recorded death is not recorded again."""
    newly = list(
        Patient.objects.filter(
            identity_kind__in=PERSONAL_KINDS,
            deceased_on__isnull=True,
            identifier__in=register.deceased_identifiers(),
        )
        .order_by("pk")
        .values_list("pk", "identifier")
    )
    deaths = register.deaths_among([identifier for _, identifier in newly])
    recorded = 0
    with transaction.atomic():
        for pk, identifier in newly:
            day = deaths.get(identifier)
            # conditional: a concurrent run records each death once, and audits it once
            if day and Patient.objects.filter(pk=pk, deceased_on__isnull=True).update(
                deceased_on=day
            ):
                record(
                    "patients.patient.deceased",
                    actor=actor,
                    patient=Patient(pk=pk),
                    obj=Patient(pk=pk),
                    data={"deceased_on": day.isoformat()},
                )
                recorded += 1
    return recorded


def _import(entry: RegisterRecord, *, actor: Actor) -> Patient:
    """A findable register person becomes a patient (never a protected one: see
    findable_in_register)."""
    assert not entry.protected
    birth_date = PersonalNumber(entry.identifier, False).birth_date
    try:
        with transaction.atomic():
            patient = Patient.objects.create(
                identity_kind=IdentityKind.PERSONNUMMER,
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
