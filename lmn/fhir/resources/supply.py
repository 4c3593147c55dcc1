"""SupplyRequest: one withdrawal line (uttagsrad); the withdrawal is its identifier.

- id `<withdrawal number>-<line>` (U13200001-1); identifier: the withdrawal number
  (system .../identifier/uttagsnummer), shared by the lines of one withdrawal;
- itemCodeableConcept + quantity: the product (article number) and the quantity;
- reasonReference: the DeviceRequest (prescription) the line is withdrawn against;
- priority: the speed, standard → routine, emergency (akut) → urgent, express → stat;
- extension .../leveransmal (valueCode door | pickup_point | unit): the destination;
  deliverTo: the Patient (door), the Organization (unit) or the pickup point by identifier;
- occurrenceDateTime: the promised delivery date (answered by LMN, ignored on create);
- extensions .../leveransuppgift-<name>: the delivery details given at ordering
  (care_of, door_code, phone, email, contact_person, contact_phone, notify_by: valueString;
  entry_phone, name_on_door, leave_outside, multi_family: valueBoolean).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from lmn.withdrawals.models import Withdrawal, WithdrawalLine

from .. import codes
from .common import instant, product_concept, ref

SPEED_TO_PRIORITY = {"standard": "routine", "emergency": "urgent", "express": "stat"}
PRIORITY_TO_SPEED = {v: k for k, v in SPEED_TO_PRIORITY.items()}
DETAIL = f"{codes.LMN}/StructureDefinition/leveransuppgift-"
TEXT_DETAILS = (
    "care_of",
    "door_code",
    "phone",
    "email",
    "contact_person",
    "contact_phone",
    "notify_by",
)
FLAG_DETAILS = ("entry_phone", "name_on_door", "leave_outside", "multi_family")
PICKUP_POINT = f"{codes.LMN}/identifier/utlamningsstalle"
_ACTIVE = {"placed", "picked", "shipped", "arrived"}
_DONE = {"delivered", "collected", "returned"}


def status_of(w: Withdrawal) -> str:
    if w.status in _ACTIVE:
        return "active"
    if w.status in _DONE:
        return "completed"
    return "cancelled"


def line_id(w: Withdrawal, position: int) -> str:
    return f"{w.number}-{position}"


def split_id(value: str) -> tuple[str, int] | None:
    number, _, position = value.upper().partition("-")
    if not position.isdigit() or len(position) > 3 or int(position) < 1:
        return None
    return number, int(position)


def with_lines(qs: QuerySet[Withdrawal]) -> QuerySet[Withdrawal]:
    lines = WithdrawalLine.objects.select_related("product").order_by("pk")
    return qs.select_related("patient", "ordering_unit", "ordered_by").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


def _deliver_to(w: Withdrawal) -> dict[str, Any]:
    if w.destination == "unit":
        return ref("Organization", w.ordering_unit_id)
    if w.destination == "pickup_point" and w.pickup_point_id:
        return {
            "type": "Location",
            "identifier": {"system": PICKUP_POINT, "value": w.pickup_point_id},
        }
    return ref("Patient", w.patient_id)


def _details(w: Withdrawal) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"url": codes.EXT_DESTINATION, "valueCode": w.destination}]
    for name in TEXT_DETAILS:
        value = getattr(w, name)
        if value:
            out.append({"url": DETAIL + name, "valueString": value})
    for name in FLAG_DETAILS:
        out.append({"url": DETAIL + name, "valueBoolean": bool(getattr(w, name))})
    return out


def supply_request(w: Withdrawal, line: WithdrawalLine, position: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "SupplyRequest",
        "id": line_id(w, position),
        "extension": _details(w),
        "identifier": [{"use": "official", "system": codes.WITHDRAWAL_NUMBER, "value": w.number}],
        "status": status_of(w),
        "priority": SPEED_TO_PRIORITY.get(w.speed, "routine"),
        "itemCodeableConcept": product_concept(line.product),
        "quantity": {"value": line.quantity, "unit": line.product.ordering_unit or "st"},
        "authoredOn": instant(w.placed_at),
        "reasonReference": [ref("DeviceRequest", line.prescription_id)],
        "deliverTo": _deliver_to(w),
    }
    if w.promised_delivery_date:
        out["occurrenceDateTime"] = w.promised_delivery_date.isoformat()
    if w.ordered_by_id:
        out["requester"] = ref("Practitioner", w.ordered_by_id)
    return out


def supply_requests(w: Withdrawal) -> list[dict[str, Any]]:
    return [supply_request(w, line, i) for i, line in enumerate(w.lines.all(), start=1)]


def location(request: HttpRequest, resource: dict[str, Any]) -> str:
    from ..search import base_url

    return f"{base_url(request)}/{resource['resourceType']}/{resource['id']}"
