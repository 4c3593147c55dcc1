"""Identity conversion by customer service (ASYL-7, UT-6).

When an asylum seeker gets a personnummer, or a person without permit gets an LMA card,
the whole prescription and withdrawal history moves to the new identity in one
transaction. The old record is retired (it answers to no search) and its identifier
becomes an alias of the new record, so the old number still finds the patient.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, PermissionDenied, Problem
from lmn.patients.identifiers import parse_lma, parse_personal_number
from lmn.patients.models import (
    PERSONAL_KINDS,
    IdentityKind,
    Patient,
    PatientAlias,
)
from lmn.patients.services import check_birth_date, findable_in_register, strip_ut_suffix
from lmn.prescriptions.models import Prescription
from lmn.withdrawals.models import Withdrawal

# from which kind to which: ASYL-7 (LMA → personnummer), UT-6 (UT → LMA); a person
# without permit may also get a personnummer directly
ALLOWED: dict[str, frozenset[str]] = {
    IdentityKind.LMA: frozenset({"personnummer"}),
    IdentityKind.UT: frozenset({IdentityKind.LMA, "personnummer"}),
}


@dataclass
class NewIdentity:
    """The identity to convert to. For a personnummer outside the register, and for an
    LMA number, the name (and for LMA the birth date and card validity) are given."""

    kind: str  # "personnummer" (also samordningsnummer) or "lma"
    identifier: str
    first_name: str = ""
    last_name: str = ""
    birth_date: dt.date | None = None
    lma_valid_until: dt.date | None = None


def _has_history(patient: Patient) -> bool:
    return (
        Prescription.objects.filter(patient=patient).exists()
        or Withdrawal.objects.filter(patient=patient).exists()
    )


def convert_identity(patient: Patient, new: NewIdentity, *, actor: Actor) -> Patient:
    """Move `patient`'s history to `new`; returns the record that now holds it.

    Refused, changing nothing, when the new identity already has a history of its own,
    is in use as someone's alias, or the conversion is not one the routine describes.
    """
    if actor.role != Role.CUSTOMER_SERVICE:
        raise PermissionDenied("customer_service_only", "Bara kundtjänst konverterar identiteter.")
    allowed = ALLOWED.get(patient.identity_kind, frozenset())
    if new.kind not in allowed or patient.converted_to_id is not None or patient.protected:
        raise DomainError.single(
            "conversion_not_allowed",
            "Den här identiteten kan inte konverteras så. Asylsökande (LMA) konverteras till "
            "personnummer, personer utan tillstånd till LMA-nummer eller personnummer.",
            "kind",
        )
    with transaction.atomic():
        target = _target(patient, new, actor=actor)
        old_kind, old_identifier = patient.identity_kind, patient.identifier
        # conditional: two agents converting the same record at once, one wins
        retired = Patient.objects.filter(pk=patient.pk, converted_to__isnull=True).update(
            converted_to=target,
            identity_kind=IdentityKind.CONVERTED,
            identifier=f"KV{patient.pk:010d}",
        )
        if retired != 1:
            raise DomainError.single(
                "already_converted", "Identiteten har redan konverterats av någon annan."
            )
        prescriptions = Prescription.objects.filter(patient=patient).update(patient=target)
        withdrawals = Withdrawal.objects.filter(patient=patient).update(patient=target)
        # aliases of earlier conversions (UT → LMA → personnummer) follow along
        PatientAlias.objects.filter(patient=patient).update(patient=target)
        PatientAlias.objects.create(
            identity_kind=old_kind,
            identifier=old_identifier,
            patient=target,
            created_at=clock.now(),
        )
        record(
            "patients.identity.converted",
            actor=actor,
            patient=target,
            obj=target,
            data={
                "from_patient": patient.pk,
                "from_kind": old_kind,
                "from_identifier": old_identifier,
                "to_kind": target.identity_kind,
                "to_identifier": target.identifier,
                "prescriptions": prescriptions,
                "withdrawals": withdrawals,
            },
        )
    patient.refresh_from_db()
    target.refresh_from_db()
    return target


def _refuse_taken(existing: Patient | None, identifier: str) -> Patient | None:
    if PatientAlias.objects.filter(identifier=identifier).exists():
        raise DomainError.single(
            "identity_has_history",
            "Den nya identiteten har redan använts för en annan patient. Kontakta "
            "LMN-administrationen.",
            "identifier",
        )
    if existing is not None and (_has_history(existing) or existing.protected):
        raise DomainError.single(
            "identity_has_history",
            "Den nya identiteten har redan förskrivningar eller uttag. Historiken kan inte "
            "slås ihop automatiskt: kontakta LMN-administrationen.",
            "identifier",
        )
    return existing


def _target(patient: Patient, new: NewIdentity, *, actor: Actor) -> Patient:
    if new.kind == "personnummer":
        pnr = parse_personal_number(new.identifier)
        existing = _refuse_taken(
            Patient.objects.filter(identifier=pnr.canonical).first(), pnr.canonical
        )
        if existing is not None:
            return existing
        # the same register answer as a lookup: a protected person (and anyone outside
        # Västra Götaland and Halland) is answered as not in the register, so the reply
        # can never tell a protected person from a missing one (SKYDD-1). If the register
        # protects the person, the sync then locks the record (SKYDD-7).
        entry = findable_in_register(pnr)
        kind = IdentityKind.SAMORDNINGSNUMMER if pnr.coordination else IdentityKind.PERSONNUMMER
        if entry is not None:
            return _create(
                patient,
                kind=kind,
                identifier=pnr.canonical,
                first_name=entry.first_name,
                last_name=entry.last_name,
                birth_date=pnr.birth_date,
                street=entry.street,
                postcode=entry.postcode,
                city=entry.city,
                dwelling=entry.dwelling,
                resident_region=entry.region,
                region_name=entry.region_name,
            )
        problems = _name_problems(new)
        if problems:
            raise DomainError(
                Problem(
                    "not_in_register",
                    "Personnumret finns inte i regionens folkbokföringsuppgifter: ange namnet.",
                    "identifier",
                ),
                *problems,
            )
        return _create(
            patient,
            kind=kind,
            identifier=pnr.canonical,
            first_name=new.first_name.strip(),
            last_name=strip_ut_suffix(new.last_name),
            birth_date=pnr.birth_date,
        )
    lma = parse_lma(new.identifier, field="identifier")
    existing = _refuse_taken(Patient.objects.filter(identifier=lma.key).first(), lma.key)
    if existing is not None:
        return existing
    birth_date = new.birth_date or patient.birth_date
    problems = check_birth_date(birth_date)
    if new.lma_valid_until is None or new.lma_valid_until < clock.today():
        when = f" Kortet gick ut {new.lma_valid_until.isoformat()}." if new.lma_valid_until else ""
        problems.append(Problem("ASYL-3", f"Ett giltigt LMA-kort krävs.{when}", "lma_valid_until"))
    if problems:
        raise DomainError(*problems)
    return _create(
        patient,
        kind=IdentityKind.LMA,
        identifier=lma.key,
        first_name=new.first_name.strip() or patient.first_name,
        last_name=strip_ut_suffix(new.last_name or patient.last_name),
        birth_date=birth_date,
        lma_card_sequence=lma.card_sequence,
        lma_valid_until=new.lma_valid_until,
    )


def _name_problems(new: NewIdentity) -> list[Problem]:
    problems = []
    if not new.first_name.strip():
        problems.append(Problem("first_name_required", "Ange förnamn.", "first_name"))
    if not strip_ut_suffix(new.last_name or ""):
        problems.append(Problem("last_name_required", "Ange efternamn.", "last_name"))
    return problems


def _create(patient: Patient, **values: object) -> Patient:
    """The new record; what the new identity does not say is kept from the old one."""
    kind = str(values.pop("kind"))
    defaults: dict[str, object] = {
        "street": patient.street,
        "postcode": patient.postcode,
        "city": patient.city,
        "dwelling": patient.dwelling,
        "resident_region": patient.resident_region,
        "region_name": patient.region_name,
        "care_home_unit": patient.care_home_unit,
    }
    defaults.update(values)
    assert kind in PERSONAL_KINDS or kind == IdentityKind.LMA
    return Patient.objects.create(identity_kind=kind, **defaults)
