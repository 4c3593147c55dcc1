"""AuditEvent: the patient's log extract (PDL-4) as a searchset Bundle, for the auditor
and customer service: when, who (HSA-id, role), which unit, what, with what outcome.

`AuditEvent?patient=Patient/<id>`; the patient must be visible to the caller, and the
extract itself is audited.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from lmn.audit.models import AuditEvent
from lmn.audit.queries import events_about_patient
from lmn.audit.services import record
from lmn.core.actor import Actor, Role

from .. import codes
from ..outcome import FhirError, fhir_response
from ..routing import endpoint
from ..search import page, parse_search, searchset
from .common import instant, ref
from .prescriptions import visible_patient_param

SEARCH_PARAMS = ("patient",)
_OUTCOME = {"ok": "0", "not_found": "4", "refused": "4", "denied": "8"}


def _action(name: str) -> str:
    if name.endswith((".read", ".searched", ".printed")):
        return "R"
    if name.endswith((".placed", ".created", ".imported", ".registered")):
        return "C"
    return "E"


def audit_event(e: AuditEvent) -> dict[str, Any]:
    agents: list[dict[str, Any]] = [
        {
            "type": {
                "coding": [
                    {
                        "system": codes.ROLE,
                        "code": e.actor_role,
                        "display": Role.LABELS.get(e.actor_role, e.actor_role),
                    }
                ]
            },
            "who": {"identifier": {"system": codes.HSA_ID, "value": e.actor_hsa_id}},
            "requestor": True,
        }
    ]
    if e.unit_number:
        agents.append(
            {
                "type": {"text": "Enhet"},
                "who": {"identifier": {"system": codes.CUSTOMER_NUMBER, "value": e.unit_number}},
                "requestor": False,
            }
        )
    entity: list[dict[str, Any]] = [{"what": ref("Patient", e.patient_id)}]
    if e.object_type:
        entity.append({"what": {"display": f"{e.object_type} {e.object_id}".strip()}})
    return {
        "resourceType": "AuditEvent",
        "id": str(e.pk),
        "type": {
            "system": "http://terminology.hl7.org/CodeSystem/audit-event-type",
            "code": "rest",
            "display": "RESTful Operation",
        },
        "subtype": [{"system": codes.AUDIT_ACTION, "code": e.action}],
        "action": _action(e.action),
        "recorded": instant(e.at),
        "outcome": _OUTCOME.get(e.outcome, "4"),
        "agent": agents,
        "source": {"site": e.channel or "portal", "observer": {"display": "LMN"}},
        "entity": entity,
    }


@endpoint(("GET",))
def search(request: HttpRequest, actor: Actor) -> HttpResponse:
    s = parse_search(request, SEARCH_PARAMS)
    if not s.get("patient"):
        raise FhirError(400, "search_parameter_required", "Ange patient.", field="patient")
    patient = visible_patient_param(s.get("patient"), actor=actor, resource="auditevent")
    events: list[AuditEvent] = []
    total = 0
    if patient is not None:
        qs = events_about_patient(patient.pk)
        total = qs.count()
        events = page(qs, s)
        record(
            "audit.extract.read",
            actor=actor,
            patient=patient,
            channel="fhir",
            data={"events": len(events)},
        )
    resources = [audit_event(e) for e in events]
    return fhir_response(searchset(request, "AuditEvent", s, total, resources))
