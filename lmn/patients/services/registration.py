"""Registering patients the register does not give LMN: LMA, UT, unlisted, protected."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, Problem

from ..identifiers import (
    LmaNumber,
    internal_identifier,
    parse_personal_number,
)
from ..models import IdentityKind, Patient, PatientAlias, Region

UT_SUFFIX = " - UT"
_UT_SUFFIX = re.compile(r"\s*[-–]\s*UT\s*$", re.IGNORECASE)


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
