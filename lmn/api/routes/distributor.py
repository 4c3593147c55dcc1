"""The distributor's side: the work queue and the shipment lifecycle (PICK-2, PICK-4..PICK-9,
AKUT-4, AKUT-5, OUT-8).

Only the distributor role may call these (403 for anyone else, before any lookup). The
distributor ships every withdrawal (withdrawals_to_ship), those of protected patients
too, but is shown only delivery data: never a patient's identity (SKYDD-6).
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.db.models import F
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import ConfigDict, Field, StrictBool

from lmn.api import render
from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ApiError, ErrorsOut
from lmn.api.fields import Text20, Text30, Text100
from lmn.api.lookups import visible_withdrawal
from lmn.core.actor import Actor
from lmn.core.authorization import RoutePolicy, shipping
from lmn.core.errors import PermissionDenied
from lmn.withdrawals.queries import withdrawals_to_ship
from lmn.withdrawals.shipment import grouped_by_joint_order, read_shipment
from lmn.withdrawals.shipping import (
    OPEN_SHIPMENT_STATUSES,
    SHIPPING_ROLES,
    CollectionDraft,
    register_collection,
    report_shipment_event,
)

router = Router(tags=["distributor"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
POLICIES: dict[str, RoutePolicy] = {
    "/withdrawals": shipping(""),
    "/withdrawals/{number}": shipping("withdrawal"),
    "/withdrawals/{number}/events": shipping("withdrawal"),
    "/withdrawals/{number}/collection": shipping("withdrawal"),
}

StatusName = Literal[
    "placed", "picked", "shipped", "delivered", "arrived", "collected", "returned", "cancelled"
]
# the keys of lmn.withdrawals.shipping.RETURN_REASONS (a test keeps the two in step)
ReturnReason = Literal[
    "wrong_door_code",
    "incomplete_address",
    "recipient_not_home",
    "refused",
    "not_collected",
    "damaged",
    "other",
]

Number = Annotated[str, Path(max_length=40, description="Uttagsnummer, U + 8 siffror")]


def _distributor(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    if actor.role not in SHIPPING_ROLES:
        raise PermissionDenied("distributor_only", "Bara distributören rapporterar leveranser.")
    return actor


class WorkQueueQuery(Schema):
    status: StatusName | None = Field(
        default=None, description="Utelämnad: allt som inte är klart (mottagen…ankommen)"
    )
    limit: int = Field(default=200, ge=1, le=1000)


@router.get("/withdrawals", response={200: list[render.WorkItemOut], **COMMON_ERRORS})
def work_queue(request: HttpRequest, filters: Query[WorkQueueQuery]) -> list[render.WorkItemOut]:
    """Withdrawals to move along, earliest promise first (no patient data but the city)."""
    actor = _distributor(request)
    found = withdrawals_to_ship(actor)
    if filters.status:
        found = found.filter(status=filters.status)
    else:
        found = found.filter(status__in=OPEN_SHIPMENT_STATUSES)
    found = (
        found.order_by(F("promised_delivery_date").asc(nulls_last=True), "placed_at", "pk")
        .select_related("joint_order__ward")
        .only(
            "number",
            "status",
            "destination",
            "speed",
            "placed_at",
            "promised_delivery_date",
            "city",
            "pickup_point_id",
            "joint_order__number",
            "joint_order__delivery_place",
            "joint_order__ward__name",
            "joint_order__ward__customer_number",
        )
    )
    # SAM-1: a joint order's parcels one after another, where its first one stands
    groups = grouped_by_joint_order(found[: filters.limit])
    return render.work_items(w for group in groups for w in group)


@router.get(
    "/withdrawals/{number}",
    response={200: render.ShipmentOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Leveransuppgifter för transportören",
)
def shipment(request: HttpRequest, number: Number) -> render.ShipmentOut:
    """Where and to whom, the door code (never printed on the label), the pickup point,
    the ward's goods reception and the joint order with its daytime window (SAM-1,
    SAM-3). The read is audited."""
    actor = _distributor(request)
    withdrawal = visible_withdrawal(number, actor=actor)
    return render.shipment(read_shipment(withdrawal, actor=actor, channel="api"))


class EventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    # SHIPMENT_EVENTS of lmn.withdrawals.shipping (a test keeps the two in step)
    event: Literal["picked", "shipped", "delivered", "arrived", "returned"]
    reason: ReturnReason | None = Field(default=None, description="Returorsak; krävs vid retur")


@router.post(
    "/withdrawals/{number}/events",
    response={200: render.ShipmentStepOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Rapportera plockad, skickad, levererad, ankommen eller returnerad",
)
def report_event(request: HttpRequest, number: Number, payload: EventIn) -> render.ShipmentStepOut:
    """One step of the shipment; a step out of order answers 422 invalid_transition.

    A return (OUT-8, PICK-4) needs a reason and adds the return fee for the paying unit."""
    actor = _distributor(request)
    withdrawal = visible_withdrawal(number, actor=actor)
    if payload.event == "returned" and payload.reason is None:
        raise ApiError(422, "required", "Ange returorsak.", "reason")
    if payload.event != "returned" and payload.reason is not None:
        raise ApiError(422, "unexpected_reason", "Returorsak anges bara vid retur.", "reason")
    updated = report_shipment_event(
        withdrawal, payload.event, reason=payload.reason or "", actor=actor
    )
    return render.shipment_step(updated)


class CollectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: Text20 = Field(description="Den fyrsiffriga koden från aviseringen (PICK-9)")
    collector: Literal["recipient", "contact_person", "guardian", "other"]
    recipient_id_shown: StrictBool
    collector_id_shown: StrictBool
    register_extract_shown: StrictBool = Field(
        default=False,
        description="Vårdnadshavaren visade utdrag ur folkbokföringen som visar vårdnaden (PICK-8)",
    )
    id_document: Text30 = Field(description="Vilken legitimation som visades (PICK-5)")
    collector_name: Text100 = ""


@router.post(
    "/withdrawals/{number}/collection",
    response={200: render.ShipmentStepOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Registrera uthämtning på utlämningsstället",
)
def collect(request: HttpRequest, number: Number, payload: CollectionIn) -> render.ShipmentStepOut:
    """Who collected and which identification was shown (PICK-5..PICK-8), with the code
    from the notification (PICK-9); a refusal names every broken rule (422)."""
    actor = _distributor(request)
    withdrawal = visible_withdrawal(number, actor=actor)
    draft = CollectionDraft(
        code=payload.code,
        collector=payload.collector,
        recipient_id_shown=payload.recipient_id_shown,
        collector_id_shown=payload.collector_id_shown,
        id_document=payload.id_document,
        collector_name=payload.collector_name,
        register_extract_shown=payload.register_extract_shown,
    )
    return render.shipment_step(register_collection(withdrawal, draft, actor=actor))
