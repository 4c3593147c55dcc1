"""Whom a person logged in to the e-service may act for, and as what (EPAT-1, EPAT-2).

Resolved again on every request, so a power revoked or expired, a child turning 18 or a
patient becoming protected takes effect at once; what is no longer allowed answers like
something that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from lmn.audit.models import AuditEvent
from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import NotFound
from lmn.patients.models import Patient, RegisterRecord

from .models import Guardianship, PowerOfAttorney, Scope
from .rules import guardian_may_act, has_eservice


@dataclass(frozen=True)
class Represented:
    patient: Patient
    role: str  # Role.PATIENT, Role.PROXY or Role.PROXY_VIEWER
    basis: str  # "self", "guardian" or "power"


def person_hsa_id(identifier: str) -> str:
    """How a person in the e-service is named in the audit trail and the history."""
    return f"person:{identifier}"


def may_log_in(identifier: str) -> bool:
    """EPAT-1: a person whose own record or register entry is protected, or whose own
    record is an asylum or no-permit identity, has no e-service at all."""
    if RegisterRecord.objects.filter(identifier=identifier, protected=True).exists():
        return False
    own = Patient.objects.filter(identifier=identifier).first()
    return own is None or has_eservice(own)


def valid_powers(today: dt.date) -> QuerySet[PowerOfAttorney]:
    return PowerOfAttorney.objects.filter(
        revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today
    )


def represented_by(identifier: str, *, today: dt.date | None = None) -> list[Represented]:
    """Everyone the person may act for today: themselves first, then by name."""
    today = today or clock.today()
    if not may_log_in(identifier):
        return []
    found: dict[int, Represented] = {}
    own = Patient.objects.filter(identifier=identifier).first()
    if own is not None and has_eservice(own):
        found[own.pk] = Represented(own, Role.PATIENT, "self")
    children = Guardianship.objects.filter(guardian_identifier=identifier).values(
        "child_identifier"
    )
    for child in Patient.objects.filter(identifier__in=children):
        if has_eservice(child) and guardian_may_act(child, today=today):
            found.setdefault(child.pk, Represented(child, Role.PROXY, "guardian"))
    powers = valid_powers(today).filter(holder_identifier=identifier).select_related("patient")
    for power in powers.order_by("scope", "pk"):  # "order" before "view": the wider scope wins
        role = Role.PROXY if power.scope == Scope.ORDER else Role.PROXY_VIEWER
        if has_eservice(power.patient):
            found.setdefault(power.patient.pk, Represented(power.patient, role, "power"))
    rest = sorted(
        (r for r in found.values() if r.basis != "self"),
        key=lambda r: (r.patient.last_name, r.patient.first_name, r.patient.pk),
    )
    return [r for r in found.values() if r.basis == "self"] + rest


def actor_for(identifier: str, patient_id: int, *, today: dt.date | None = None) -> Actor:
    """The e-service actor of this person acting for this patient, or NotFound."""
    for rep in represented_by(identifier, today=today):
        if rep.patient.pk == patient_id:
            return Actor(role=rep.role, hsa_id=person_hsa_id(identifier), acting_for=rep.patient)
    raise NotFound()


def powers_given_by(patient: Patient) -> QuerySet[PowerOfAttorney]:
    """The patient's powers of attorney, current and past, newest first."""
    return PowerOfAttorney.objects.filter(patient=patient).order_by("-granted_at", "-pk")


@dataclass(frozen=True)
class ProxyAction:
    at: dt.datetime
    action: str
    who: str


def proxy_actions(*, actor: Actor, limit: int = 100) -> list[ProxyAction]:
    """EPAT-2: what others did for the patient in the e-service ("Vem har gjort vad"),
    each with the representative's name; the read itself is audited."""
    patient = actor.acting_for
    if patient is None:
        raise NotFound()
    events = list(
        AuditEvent.objects.filter(
            Q(actor_role=Role.PROXY) | Q(actor_role=Role.PROXY_VIEWER), patient_id=patient.pk
        ).order_by("-at", "-id")[:limit]
    )
    names = _holder_names(patient, {e.actor_hsa_id for e in events})
    record("representation.proxy_actions.read", actor=actor, patient=patient, channel="e-tjanst")
    return [ProxyAction(e.at, e.action, names.get(e.actor_hsa_id, "")) for e in events]


def _holder_names(patient: Patient, hsa_ids: set[str]) -> dict[str, str]:
    identifiers = {h.removeprefix("person:") for h in hsa_ids}
    names = {
        person_hsa_id(g.guardian_identifier): g.guardian_name
        for g in Guardianship.objects.filter(
            child_identifier=patient.identifier, guardian_identifier__in=identifiers
        )
    }
    for p in PowerOfAttorney.objects.filter(patient=patient, holder_identifier__in=identifiers):
        names[person_hsa_id(p.holder_identifier)] = p.holder_name
    return names
