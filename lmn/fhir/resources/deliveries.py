"""SupplyDelivery: one per shipment step of a withdrawal (picked, shipped, delivered, at
the pickup point, collected, returned), from the withdrawal's history.

id `<withdrawal number>-s<step>`; basedOn: the withdrawal's SupplyRequests; status:
in-progress (picked, shipped, at the pickup point), completed (delivered, collected),
abandoned (returned); extension .../leveranssteg (valueCode): the step itself;
occurrenceDateTime: when it happened; suppliedItem: the product and quantity when the
withdrawal has one line.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse

from lmn.audit.services import Shown, record_many
from lmn.core.actor import Actor
from lmn.core.errors import NotFound
from lmn.withdrawals.models import Withdrawal, WithdrawalEvent
from lmn.withdrawals.queries import get_withdrawal, withdrawals_visible_to

from .. import codes
from ..outcome import FhirError, fhir_response
from ..routing import endpoint
from ..search import page, parse_search, reference_id, searchset
from .common import instant, product_concept, ref
from .prescriptions import visible_patient_param
from .supply import line_id, split_id, with_lines

STEPS = {
    "picked": "in-progress",
    "shipped": "in-progress",
    "arrived": "in-progress",
    "delivered": "completed",
    "collected": "completed",
    "returned": "abandoned",
}
EXT_STEP = f"{codes.LMN}/StructureDefinition/leveranssteg"
SEARCH_PARAMS = ("patient", "based-on", "status")


def steps_of(w: Withdrawal) -> list[WithdrawalEvent]:
    return [
        e for e in w.events.all() if e.kind == WithdrawalEvent.TRANSITION and e.to_status in STEPS
    ]


def supply_delivery(w: Withdrawal, e: WithdrawalEvent) -> dict[str, Any]:
    lines = list(w.lines.all())
    out: dict[str, Any] = {
        "resourceType": "SupplyDelivery",
        "id": f"{w.number}-s{e.pk}",
        "extension": [{"url": EXT_STEP, "valueCode": e.to_status}],
        "identifier": [{"system": codes.WITHDRAWAL_NUMBER, "value": w.number}],
        "basedOn": [ref("SupplyRequest", line_id(w, i)) for i in range(1, len(lines) + 1)],
        "status": STEPS[e.to_status],
        "patient": ref("Patient", w.patient_id),
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/supply-item-type",
                    "code": "device",
                }
            ]
        },
        "occurrenceDateTime": instant(e.at),
    }
    if len(lines) == 1:
        out["suppliedItem"] = {
            "quantity": {"value": lines[0].quantity},
            "itemCodeableConcept": product_concept(lines[0].product),
        }
    return out


def _events_prefetched(qs: Any) -> Any:
    events = WithdrawalEvent.objects.order_by("at", "pk")
    return with_lines(qs).prefetch_related(Prefetch("events", queryset=events))


@endpoint(("GET",))
def read(request: HttpRequest, actor: Actor, delivery_id: str) -> HttpResponse:
    number, _, step = delivery_id.upper().partition("-S")
    w = get_withdrawal(number if step.isdigit() else "", actor=actor, channel="fhir")
    w = _events_prefetched(Withdrawal.objects.filter(pk=w.pk)).get()
    for e in steps_of(w):
        if str(e.pk) == step:
            return fhir_response(supply_delivery(w, e))
    raise NotFound()


@endpoint(("GET",))
def search(request: HttpRequest, actor: Actor) -> HttpResponse:
    s = parse_search(request, SEARCH_PARAMS)
    qs = _events_prefetched(withdrawals_visible_to(actor)).order_by("-placed_at", "-pk")
    if not s.get("patient") and not s.get("based-on"):
        raise FhirError(
            400, "search_parameter_required", "Ange patient eller based-on.", field="patient"
        )
    if s.get("patient"):
        patient = visible_patient_param(s.get("patient"), actor=actor, resource="supplydelivery")
        qs = qs.filter(patient=patient) if patient else qs.none()
    if s.get("based-on"):
        parts = split_id(reference_id(s.get("based-on"), "SupplyRequest"))
        qs = qs.filter(number=parts[0]) if parts else qs.none()
    withdrawals = list(qs)
    rows = [(w, e) for w in withdrawals for e in steps_of(w)]
    if s.get("status"):
        wanted = set(s.get("status").split(","))
        rows = [(w, e) for w, e in rows if STEPS[e.to_status] in wanted]
    shown = page(rows, s)
    record_many(
        "withdrawals.withdrawal.read",
        [Shown(patient=w.patient, obj=w) for w in {w.pk: w for w, _ in shown}.values()],
        actor=actor,
        channel="fhir",
    )
    resources = [supply_delivery(w, e) for w, e in shown]
    return fhir_response(searchset(request, "SupplyDelivery", s, len(rows), resources))
