"""One follow-up request as the portal and exports make it: which view, for what, in
which period (PDL-3). Bad input is a DomainError on the field it came from."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lmn.audit.models import AuditEvent
from lmn.audit.services import record
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, PermissionDenied, Problem
from lmn.patients.identifiers import parse_personal_number
from lmn.patients.models import Patient

from . import followup

VIEWS = ("patient", "user", "outside", "emergency", "protected", "volume", "sample")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
LIMIT = 500  # rows on one page or in one export; narrow the period for more


@dataclass(frozen=True)
class Selection:
    view: str
    identifier: str = ""  # the patient's personnummer (view "patient")
    hsa_id: str = ""  # the user's HSA-id (view "user")
    unit: str = ""  # customer number (view "sample")
    month: str = ""  # YYYY-MM (view "sample")
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class Result:
    events: list[AuditEvent]
    volumes: list[followup.Volume]
    patient: Patient | None = None


def _patient(identifier: str) -> Patient:
    if not identifier.strip():
        raise DomainError(
            Problem("identifier_required", "Ange patientens personnummer.", "identifier")
        )
    pnr = parse_personal_number(identifier, field="identifier")
    found = Patient.objects.filter(identifier=pnr.canonical).first()
    if found is None:
        raise DomainError(
            Problem("patient_unknown", "LMN har ingen patient med det numret.", "identifier")
        )
    return found


def _sample(s: Selection) -> list[AuditEvent]:
    match = MONTH.match(s.month)
    problems = []
    if not re.fullmatch(r"\d{6}", s.unit):
        problems.append(Problem("unit_required", "Ange enhetens sexsiffriga kundnummer.", "unit"))
    if not match or not 1 <= int(match.group(2)) <= 12:
        problems.append(Problem("month_required", "Ange månaden som ÅÅÅÅ-MM.", "month"))
    if problems:
        raise DomainError(*problems)
    assert match is not None
    return followup.random_sample(s.unit, int(match.group(1)), int(match.group(2)))


def select(s: Selection, *, actor: Actor, channel: str = "") -> Result:
    """The accesses the selection asks for, newest first; the read itself is audited."""
    if actor.role != Role.AUDITOR:
        raise PermissionDenied("auditor_only", "Loggranskningen är för granskare.")
    if s.since and s.until and s.since > s.until:
        raise DomainError(
            Problem("period_reversed", "Från-datumet är efter till-datumet.", "since")
        )
    period = {"since": s.since, "until": s.until}
    patient = None
    volumes: list[followup.Volume] = []
    events: list[AuditEvent] = []
    if s.view == "patient":
        patient = _patient(s.identifier)
        events = list(followup.to_patient(patient, **period)[:LIMIT])
    elif s.view == "user":
        if not s.hsa_id.strip():
            raise DomainError(Problem("hsa_id_required", "Ange användarens HSA-id.", "hsa_id"))
        events = list(followup.by_user(s.hsa_id.strip(), **period)[:LIMIT])
    elif s.view in ("outside", "emergency", "protected"):
        query = {
            "outside": followup.outside_own_unit,
            "emergency": followup.emergency,
            "protected": followup.protected_identities,
        }[s.view]
        events = list(query(**period)[:LIMIT])
    elif s.view == "volume":
        volumes = followup.unusual_volume(s.since, s.until)
    elif s.view == "sample":
        events = _sample(s)
    else:
        raise DomainError(Problem("view_unknown", "Välj vad du vill granska.", "view"))
    record(
        "logreview.followup.read",
        actor=actor,
        channel=channel,
        data={"view": s.view, "events": len(events), "users": len(volumes)},
    )
    return Result(events, volumes, patient)
