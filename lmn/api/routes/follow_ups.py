"""Customer service's follow-ups: products outside the assortment (OOA-3), withdrawals
held for a newly protected patient (SKYDD-7, SKYDD-5), a patient who has died."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict

from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ErrorsOut
from lmn.api.fields import MAX_ID, Text100, Text1000
from lmn.cases.followups import decide_held_delivery, log_contact, open_follow_ups
from lmn.cases.models import FollowUp
from lmn.core.authorization import RoutePolicy, for_customer_service
from lmn.core.errors import NotFound
from lmn.patients.queries import patients_visible_to

router = Router(tags=["follow-ups"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
POLICIES: dict[str, RoutePolicy] = {
    "": for_customer_service("withdrawal"),
    "/{follow_up_id}/contacts": for_customer_service("withdrawal"),
    "/{follow_up_id}/delivery": for_customer_service("withdrawal"),  # SKYDD-5
}


class ContactOut(Schema):
    party: str
    channel: str
    note: str
    at: dt.datetime


class FollowUpOut(Schema):
    id: int
    kind: str
    kind_label: str
    withdrawal_number: str
    promised_delivery_date: dt.date | None
    created_at: dt.datetime
    patient_id: int | None  # None for a protected patient: contact goes via the prescriber
    contacts: list[ContactOut]
    held: bool  # the withdrawal waits for the unit's decision on delivery (SKYDD-5)
    closed: bool


class ContactIn(Schema):
    model_config = ConfigDict(extra="forbid")

    party: Literal["prescriber", "patient"]
    channel: Literal["email", "phone", "letter"]
    note: Text1000 = ""


def _out(item: FollowUp, visible: set[int]) -> FollowUpOut:
    w = item.withdrawal
    return FollowUpOut(
        id=item.pk,
        kind=item.kind,
        kind_label=item.get_kind_display(),
        withdrawal_number=w.number,
        promised_delivery_date=w.promised_delivery_date,
        created_at=item.created_at,
        patient_id=w.patient_id if w.patient_id in visible else None,
        contacts=[
            ContactOut(party=c.party, channel=c.channel, note=c.note, at=c.at)
            for c in item.contacts.order_by("at", "pk")
        ],
        held=w.is_held,
        closed=item.closed_at is not None,
    )


@router.get("", response={200: list[FollowUpOut], **COMMON_ERRORS})
def list_follow_ups(request: HttpRequest) -> list[FollowUpOut]:
    """Open follow-ups, oldest first."""
    actor = actor_of(request)
    items = open_follow_ups(actor=actor)
    visible = set(
        patients_visible_to(actor)
        .filter(pk__in=[i.withdrawal.patient_id for i in items])
        .values_list("pk", flat=True)
    )
    return [_out(i, visible) for i in items]


@router.post(
    "/{follow_up_id}/contacts",
    response={201: FollowUpOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Logga en kontakt med förskrivare eller patient",
)
def add_contact(
    request: HttpRequest,
    follow_up_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    payload: ContactIn,
) -> Status[FollowUpOut]:
    """When both prescriber and patient have been contacted the follow-up closes."""
    actor = actor_of(request)
    item = FollowUp.objects.select_related("withdrawal").filter(pk=follow_up_id).first()
    if item is None:
        raise NotFound()
    log_contact(item, party=payload.party, channel=payload.channel, note=payload.note, actor=actor)
    item.refresh_from_db()
    visible = set(
        patients_visible_to(actor)
        .filter(pk=item.withdrawal.patient_id)
        .values_list("pk", flat=True)
    )
    return Status(201, _out(item, visible))


class HeldDeliveryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["unit", "cancel"]
    care_of: Text100 = ""


@router.post(
    "/{follow_up_id}/delivery",
    response={200: FollowUpOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Spara enhetens beslut om ett vilande uttag (skyddade personuppgifter)",
)
def held_delivery(
    request: HttpRequest,
    follow_up_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    payload: HeldDeliveryIn,
) -> FollowUpOut:
    """SKYDD-5, SKYDD-7: deliver the held withdrawal to the prescribing unit, c/o the person
    responsible there, or cancel it (before picking). The follow-up then closes."""
    actor = actor_of(request)
    item = FollowUp.objects.select_related("withdrawal").filter(pk=follow_up_id).first()
    if item is None:
        raise NotFound()
    item = decide_held_delivery(
        item, decision=payload.decision, care_of=payload.care_of, actor=actor
    )
    return _out(item, set())
