"""A prescriber's work around prescriptions: moves to accept (RX-4), favourites
(templates) and the work lists. State changes take an Idempotency-Key like the
prescription actions (lmn/api/routes/prescriptions.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from lmn.api import render
from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ErrorsOut
from lmn.api.fields import MAX_ID, Text20, Text1000
from lmn.api.routes.prescription_input import ConsumptionIn, product_of, replayed, require_key
from lmn.api.routes.prescriptions import KeyHeader
from lmn.core.authorization import PRESCRIBERS, RoutePolicy, prescribing
from lmn.prescriptions import worklists
from lmn.prescriptions.idempotency import once
from lmn.prescriptions.models import Prescription, PrescriptionMove
from lmn.prescriptions.moves import (
    accept_move,
    decline_move,
    incoming_moves,
    move_visible_to,
    withdraw_move,
)
from lmn.prescriptions.templates import (
    TemplateDraft,
    add_template,
    remove_template,
    template_of,
    templates_for,
)

moves_router = Router(tags=["prescriptions"])
templates_router = Router(tags=["prescriptions"])
worklists_router = Router(tags=["prescriptions"])

MOVE_POLICIES: dict[str, RoutePolicy] = {
    "": RoutePolicy(PRESCRIBERS, refusal="ACC-2"),
    # the service checks that the actor prescribes at the receiving (or sending) unit
    "/{move_id}/accept": prescribing(""),
    "/{move_id}/decline": prescribing(""),
    "/{move_id}/withdraw": prescribing(""),
}
TEMPLATE_POLICIES: dict[str, RoutePolicy] = {
    "": RoutePolicy(PRESCRIBERS, refusal="ACC-2"),
    "/{template_id}/remove": RoutePolicy(PRESCRIBERS, refusal="ACC-2"),
}
WORKLIST_POLICIES: dict[str, RoutePolicy] = {"": RoutePolicy(PRESCRIBERS, refusal="ACC-2")}

ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
ACTION_ERRORS = {400: ErrorsOut, 404: ErrorsOut, 409: ErrorsOut, **COMMON_ERRORS}


@moves_router.get("", response={200: list[render.MoveOut], **COMMON_ERRORS})
def incoming(request: HttpRequest) -> list[render.MoveOut]:
    """Moves waiting for the actor's unit to accept, oldest first (RX-4); audited."""
    return [render.move(m) for m in incoming_moves(actor_of(request), channel="api")]


def _decide(
    request: HttpRequest, response: HttpResponse, move_id: int, raw_key: str | None, verb: str
) -> render.MoveOut:
    key = require_key(raw_key)
    actor = actor_of(request)
    move = move_visible_to(actor, move_id)
    service = {"accept": accept_move, "decline": decline_move, "withdraw": withdraw_move}[verb]

    def run() -> PrescriptionMove:
        service(move, actor=actor)
        return PrescriptionMove.objects.get(pk=move.pk)

    decided, created = once(actor=actor, key=key, action=f"{verb}:{move_id}", body={}, run=run)
    replayed(response, created)
    return render.move(decided)


@moves_router.post(
    "/{move_id}/accept",
    response={200: render.MoveOut, **ACTION_ERRORS},
    summary="Ta emot en förskrivning från en annan enhet",
)
def accept(
    request: HttpRequest, response: HttpResponse, move_id: ItemId, idempotency_key: KeyHeader = None
) -> render.MoveOut:
    """The prescription becomes the receiving unit's; its payer pays later withdrawals."""
    return _decide(request, response, move_id, idempotency_key, "accept")


@moves_router.post(
    "/{move_id}/decline",
    response={200: render.MoveOut, **ACTION_ERRORS},
    summary="Avböj att ta emot en förskrivning",
)
def decline(
    request: HttpRequest, response: HttpResponse, move_id: ItemId, idempotency_key: KeyHeader = None
) -> render.MoveOut:
    return _decide(request, response, move_id, idempotency_key, "decline")


@moves_router.post(
    "/{move_id}/withdraw",
    response={200: render.MoveOut, **ACTION_ERRORS},
    summary="Återkalla en begäran om flytt",
)
def withdraw(
    request: HttpRequest, response: HttpResponse, move_id: ItemId, idempotency_key: KeyHeader = None
) -> render.MoveOut:
    return _decide(request, response, move_id, idempotency_key, "withdraw")


@templates_router.get("", response={200: list[render.TemplateOut], **COMMON_ERRORS})
def templates(request: HttpRequest) -> list[render.TemplateOut]:
    """The prescriber's own favourites and their unit's, REK-list products first."""
    return [render.template(t) for t in templates_for(actor_of(request))]


class TemplateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    article_number: Text20
    consumption: ConsumptionIn
    instructions: Text1000 = Field(default="", description="Högst 500 tecken")
    shared_with_unit: bool = False


@templates_router.post(
    "",
    response={200: render.TemplateOut, 201: render.TemplateOut, **ACTION_ERRORS},
    summary="Spara en favorit",
)
def add(
    request: HttpRequest,
    response: HttpResponse,
    payload: TemplateIn,
    idempotency_key: KeyHeader = None,
) -> Status[render.TemplateOut]:
    key = require_key(idempotency_key)
    actor = actor_of(request)
    draft = TemplateDraft(
        product=product_of(payload.article_number),
        consumption_amount=payload.consumption.amount,
        consumption_period=payload.consumption.per,
        instructions=payload.instructions,
        for_unit=payload.shared_with_unit,
    )
    template, created = once(
        actor=actor,
        key=key,
        action="template",
        body=payload.model_dump(),
        run=lambda: add_template(draft, actor=actor),
    )
    replayed(response, created)
    return Status(201 if created else 200, render.template(template))


@templates_router.post(
    "/{template_id}/remove",
    response={204: None, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Ta bort en favorit",
)
def remove(request: HttpRequest, template_id: ItemId) -> Status[None]:
    actor = actor_of(request)
    remove_template(template_of(actor, template_id), actor=actor)
    return Status(204, None)


def _items(lists: worklists.WorkLists) -> render.WorkListsOut:
    def item(p: Prescription, **extra: object) -> render.WorkListItemOut:
        return render.WorkListItemOut(
            prescription_id=p.pk,
            reference=p.reference,
            patient_id=p.patient_id,
            product_name=p.product.name,
            valid_until=p.valid_until,
            **extra,  # type: ignore[arg-type]
        )

    return render.WorkListsOut(
        expiring=[item(p) for p in lists.expiring],
        overdue=[item(o.prescription, covered_until=o.covered_until) for o in lists.overdue],
        changed_by_others=[
            item(v.prescription, changed_at=v.changed_at, change_kind=v.kind)
            for v in lists.changed_by_others
        ],
    )


@worklists_router.get("", response={200: render.WorkListsOut, **COMMON_ERRORS})
def work_lists(
    request: HttpRequest, scope: Query[Literal["mine", "unit"]] = "mine"
) -> render.WorkListsOut:
    """Expiring within 30 days (or expired and still withdrawn against), patients whose
    withdrawals ran out long ago, and prescriptions changed or ended by others; audited."""
    return _items(worklists.work_lists(actor_of(request), scope, channel="api"))
