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
    IdentityKind,
    Patient,
    PatientAlias,
)
from lmn.patients.register import person_fields
from lmn.patients.services import (
    check_birth_date,
    convert_identity_rows,
    create_converted_identity,
    findable_in_register,
    strip_ut_suffix,
)
from lmn.prescriptions.services import has_prescriptions
from lmn.prescriptions.services import move_to_patient as move_prescriptions
from lmn.withdrawals.services import has_withdrawals
from lmn.withdrawals.services import move_to_patient as move_withdrawals

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
    return has_prescriptions(patient) or has_withdrawals(patient)


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
        # each app moves its own rows; one transaction, so history moves whole or not at all
        convert_identity_rows(patient, target)
        prescriptions = move_prescriptions(patient, target)
        withdrawals = move_withdrawals(patient, target)
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
        return _personal_number_target(patient, new)
    return _lma_target(patient, new)


def _personal_number_target(patient: Patient, new: NewIdentity) -> Patient:
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
        return create_converted_identity(
            patient,
            kind=kind,
            identifier=pnr.canonical,
            birth_date=pnr.birth_date,
            **person_fields(entry),
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
    return create_converted_identity(
        patient,
        kind=kind,
        identifier=pnr.canonical,
        first_name=new.first_name.strip(),
        last_name=strip_ut_suffix(new.last_name),
        birth_date=pnr.birth_date,
    )


def _lma_target(patient: Patient, new: NewIdentity) -> Patient:
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
    return create_converted_identity(
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
