"""Granting and revoking powers of attorney (EPAT-2): by the patient in the e-service, or
by customer service from a paper power. Audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied, Problem
from lmn.patients.identifiers import parse_personal_number
from lmn.patients.models import Patient

from .models import PowerOfAttorney, Scope, Source
from .rules import MAX_POWER_YEARS


@dataclass
class PowerDraft:
    holder_identifier: str
    holder_name: str
    scope: str
    valid_until: dt.date | None
    valid_from: dt.date | None = None


def _granting_source(patient: Patient, actor: Actor) -> str:
    """Only the patient (in the e-service) or customer service (from paper) grants."""
    if actor.role == Role.PATIENT and actor.acting_for is not None:
        if actor.acting_for.pk != patient.pk:
            raise NotFound()
        return Source.E_SERVICE
    if actor.role == Role.CUSTOMER_SERVICE:
        return Source.PAPER
    raise PermissionDenied("EPAT-2", _("Bara patienten själv kan ge eller återkalla en fullmakt."))


def _problems(draft: PowerDraft, patient: Patient, today: dt.date) -> tuple[str, list[Problem]]:
    problems: list[Problem] = []
    holder = ""
    try:
        holder = parse_personal_number(draft.holder_identifier, field="holder_identifier").canonical
    except DomainError as bad:
        problems.extend(bad.problems)
    if holder and holder == patient.identifier:
        problems.append(
            Problem("EPAT-2", _("Du kan inte ge en fullmakt till dig själv."), "holder_identifier")
        )
    if not draft.holder_name.strip() or len(draft.holder_name) > 200:
        problems.append(Problem("required", _("Ange ombudets namn."), "holder_name"))
    if draft.scope not in Scope.values:
        problems.append(Problem("invalid_scope", _("Välj vad ombudet får göra."), "scope"))
    start = draft.valid_from or today
    latest = today.replace(year=today.year + MAX_POWER_YEARS)
    if draft.valid_until is None or not start <= draft.valid_until <= latest:
        problems.append(
            Problem(
                "invalid_validity",
                _("Ange ett slutdatum från i dag och högst fem år framåt."),
                "valid_until",
            )
        )
    return holder, problems


def grant_power(patient: Patient, draft: PowerDraft, *, actor: Actor) -> PowerOfAttorney:
    """A new power of attorney for `patient` (EPAT-2)."""
    source = _granting_source(patient, actor)
    today = clock.today()
    holder, problems = _problems(draft, patient, today)
    if problems:
        raise DomainError(*problems)
    assert draft.valid_until is not None
    with transaction.atomic():
        power = PowerOfAttorney.objects.create(
            patient=patient,
            holder_identifier=holder,
            holder_name=" ".join(draft.holder_name.split()),
            scope=draft.scope,
            valid_from=draft.valid_from or today,
            valid_until=draft.valid_until,
            source=source,
            granted_at=clock.now(),
        )
        record(
            "representation.power.granted",
            actor=actor,
            patient=patient,
            obj=power,
            channel="e-tjanst" if source == Source.E_SERVICE else "web",
            data={"scope": power.scope, "valid_until": power.valid_until.isoformat()},
        )
    return power


def revoke_power(power_id: int, *, patient: Patient, actor: Actor) -> PowerOfAttorney:
    """Revoke one of the patient's powers; revoking again changes nothing."""
    source = _granting_source(patient, actor)
    with transaction.atomic():
        power = PowerOfAttorney.objects.select_for_update().filter(pk=power_id, patient=patient)
        found = power.first()
        if found is None:
            raise NotFound()
        if found.revoked_at is None:
            found.revoked_at = clock.now()
            found.save(update_fields=["revoked_at"])
            record(
                "representation.power.revoked",
                actor=actor,
                patient=patient,
                obj=found,
                channel="e-tjanst" if source == Source.E_SERVICE else "web",
            )
    return found
