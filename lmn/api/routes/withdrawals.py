"""Withdrawals (orders): preview and place one idempotently (GEN-3..GEN-5, GEN-7, OUT,
PICK, AKUT, EXPR), read one (audited), cancel it or change its delivery details until it
is picked, print its shipping label (OUT-9, SKYDD-6)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Header, Path, Router, Schema, Status
from pydantic import ConfigDict, Field, StrictBool

from lmn.api import render
from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ApiError, ErrorsOut
from lmn.api.fields import Amount, Id, Text20, Text40, Text200, Text300
from lmn.api.lookups import visible_patient, visible_withdrawal
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.authorization import (
    DISTRIBUTOR,
    PATIENT_READERS,
    SELF_ORDERING,
    SELF_SERVICE,
    RoutePolicy,
    ordering,
)
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest
from lmn.withdrawals.changes import CANCELLED as ALREADY_CANCELLED
from lmn.withdrawals.changes import TOO_LATE, cancel_withdrawal, change_delivery
from lmn.withdrawals.cost import order_cost
from lmn.withdrawals.labels import render_label
from lmn.withdrawals.queries import get_withdrawal
from lmn.withdrawals.services import (
    LineDraft,
    WithdrawalDraft,
    place_withdrawal,
    preview_withdrawal,
)

router = Router(tags=["withdrawals"])


def _with_self_service(policy: RoutePolicy) -> RoutePolicy:
    return RoutePolicy(policy.roles | SELF_ORDERING, policy.reads, refusal=policy.refusal)


# who may call each operation, by its path below the router (enforced in lmn.api.auth)
# The e-service's tokens (SELF_SERVICE: the patient, or a proxy) order, read and cancel
# their own (GEN-4, EPAT-1, EPAT-2); their scope is the one patient acted for.
POLICIES: dict[str, RoutePolicy] = {
    "": _with_self_service(ordering("patient")),
    "/preview": _with_self_service(ordering("patient")),
    "/{number}": RoutePolicy(PATIENT_READERS | DISTRIBUTOR | SELF_SERVICE, "withdrawal"),
    # issue 8: until picked, cancel or change the delivery (the service then checks that
    # the actor's unit ordered or prescribed it, or that it is customer service)
    "/{number}/cancel": _with_self_service(ordering("withdrawal")),
    "/{number}/delivery": ordering("withdrawal"),
    "/{number}/label.pdf": RoutePolicy(PATIENT_READERS | DISTRIBUTOR, "withdrawal"),
}

# printable ASCII, as the IETF Idempotency-Key draft's examples (UUIDs, random strings)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class AddressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    street: Text300
    postcode: Text20
    city: Text200


class DeliveryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    destination: Literal["door", "pickup_point", "unit"] = "door"
    speed: Literal["standard", "emergency", "express"] = "standard"
    address: AddressIn | None = Field(
        default=None, description="Utelämnad: patientens folkbokföringsadress"
    )
    care_of: Text200 = ""
    door_code: Text40 = ""
    entry_phone: StrictBool = False
    name_on_door: StrictBool = True
    leave_outside: StrictBool = Field(default=False, description="Får ställas utanför (OUT-1)")
    multi_family: StrictBool | None = Field(
        default=None,
        description="Flerfamiljshus (portkod krävs, OUT-5); utelämnad: som registrerat för "
        "patientens egen adress",
    )
    phone: Text40 = ""
    email: Text300 = ""
    contact_person: Text200 = ""
    contact_phone: Text40 = Field(
        default="", description="Kontaktpersonens telefon, t.ex. en vuxen närstående till ett barn"
    )
    notify_by: Literal["sms", "email", "letter", ""] | None = None
    pickup_point_id: Text40 = ""


class DeliveryChangeIn(Schema):
    """New delivery details for a withdrawal not yet picked: the whole set, as at ordering
    (omitted fields take their defaults). The speed stays as ordered."""

    model_config = ConfigDict(extra="forbid")

    destination: Literal["door", "pickup_point", "unit"] = "door"
    address: AddressIn | None = Field(
        default=None, description="Utelämnad: patientens folkbokföringsadress"
    )
    care_of: Text200 = ""
    door_code: Text40 = ""
    entry_phone: StrictBool = False
    name_on_door: StrictBool = True
    leave_outside: StrictBool = Field(default=False, description="Får ställas utanför (OUT-1)")
    multi_family: StrictBool | None = None
    phone: Text40 = ""
    email: Text300 = ""
    contact_person: Text200 = ""
    contact_phone: Text40 = Field(
        default="", description="Kontaktpersonens telefon, t.ex. en vuxen närstående till ett barn"
    )
    notify_by: Literal["sms", "email", "letter", ""] | None = None
    pickup_point_id: Text40 = ""


class LineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    prescription_id: Id
    quantity: Amount


class WithdrawalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    patient_id: Id
    lines: list[LineIn] = Field(..., max_length=100)
    delivery: DeliveryIn = Field(default_factory=lambda: DeliveryIn())


def _delivery_request(d: DeliveryIn | DeliveryChangeIn) -> DeliveryRequest:
    return DeliveryRequest(
        destination=d.destination,
        # a change keeps the speed ordered (change_delivery sets it)
        speed=d.speed if isinstance(d, DeliveryIn) else "",
        street=d.address.street if d.address else "",
        postcode=d.address.postcode if d.address else "",
        city=d.address.city if d.address else "",
        care_of=d.care_of,
        door_code=d.door_code,
        entry_phone=d.entry_phone,
        name_on_door=d.name_on_door,
        leave_outside=d.leave_outside,
        multi_family=d.multi_family,
        phone=d.phone,
        email=d.email,
        contact_person=d.contact_person,
        contact_phone=d.contact_phone,
        notify_by=d.notify_by or "",
        pickup_point_id=d.pickup_point_id,
    )


def _draft(payload: WithdrawalIn, *, actor: Actor) -> WithdrawalDraft:
    return WithdrawalDraft(
        patient=visible_patient(payload.patient_id, actor=actor),
        lines=[
            LineDraft(prescription_id=x.prescription_id, quantity=x.quantity) for x in payload.lines
        ],
        delivery=_delivery_request(payload.delivery),
    )


def _idempotency_key(raw: str | None) -> str:
    key = (raw or "").strip()
    if not key:
        raise ApiError(
            400,
            "idempotency_key_required",
            "Ange en Idempotency-Key (t.ex. ett UUID) så att en omsändning inte ger dubbla uttag.",
            "Idempotency-Key",
        )
    if not _KEY.match(key):
        raise ApiError(
            400,
            "invalid_idempotency_key",
            "Idempotency-Key ska vara 1–255 synliga ASCII-tecken.",
            "Idempotency-Key",
        )
    return key


@router.post(
    "",
    response={
        200: render.PlacedWithdrawalOut,
        201: render.PlacedWithdrawalOut,
        400: ErrorsOut,
        404: ErrorsOut,
        409: ErrorsOut,
        **COMMON_ERRORS,
    },
    summary="Gör ett uttag (beställning)",
)
def place(
    request: HttpRequest,
    response: HttpResponse,
    payload: WithdrawalIn,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Status[render.PlacedWithdrawalOut]:
    """201 when placed; 200 with the same withdrawal when the same request is sent again
    under the same Idempotency-Key; 409 when the key was used for another request.

    The answer carries the fees, the promise and the notices for the orderer; refusals
    name every broken rule's ID (422)."""
    key = _idempotency_key(idempotency_key)
    actor = actor_of(request)
    draft = _draft(payload, actor=actor)
    withdrawal, created = place_withdrawal(draft, actor=actor, idempotency_key=key)
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(
        201 if created else 200,
        render.placed_withdrawal(withdrawal),
    )


@router.post(
    "/preview",
    response={200: render.DeliveryPlanOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Förhandsvisa leveranslöfte, avgifter och upplysningar",
)
def preview(request: HttpRequest, payload: WithdrawalIn) -> render.DeliveryPlanOut:
    """What placing this body would promise and cost, shown before the order is confirmed.

    Writes nothing and reserves no stock; refuses (422) with every rule ID as placing
    would, the stock check included (AKUT-3, EXPR-4)."""
    actor = actor_of(request)
    draft = _draft(payload, actor=actor)
    plan = preview_withdrawal(draft, actor=actor)
    return render.delivery_plan(plan, order_cost(draft, plan, day=clock.today()))


@router.get("/{number}", response={200: render.WithdrawalOut, 404: ErrorsOut, **COMMON_ERRORS})
def read(request: HttpRequest, number: Annotated[str, Path(max_length=40)]) -> render.WithdrawalOut:
    """A withdrawal by its number (U + 8 digits); the read is audited."""
    actor = actor_of(request)
    found = get_withdrawal(number, actor=actor, channel="api")
    return render.withdrawal(found)


@router.get(
    "/{number}/label.pdf",
    response={404: ErrorsOut, **COMMON_ERRORS},
    summary="Adressetikett (PDF)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Adressetiketten",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def label(request: HttpRequest, number: Annotated[str, Path(max_length=40)]) -> HttpResponse:
    """The shipping label: recipient, address, c/o, door code, carrier notes and a Code 128
    barcode of the number. For the distributor, or staff who may see the withdrawal; the
    print is audited (it shows patient data)."""
    actor = actor_of(request)
    found = visible_withdrawal(number, actor=actor)
    response = HttpResponse(render_label(found, actor=actor), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


def _changed(response: HttpResponse, changed: bool) -> None:
    if not changed:
        response["Idempotent-Replayed"] = "true"


def _conflict(error: DomainError) -> ApiError | DomainError:
    """Too late (picked) or already cancelled: the state conflicts with the request (409)."""
    if error.code in (TOO_LATE, ALREADY_CANCELLED):
        p = error.problems[0]
        return ApiError(409, p.code, p.message, p.field)
    return error


@router.post(
    "/{number}/cancel",
    response={200: render.WithdrawalOut, 404: ErrorsOut, 409: ErrorsOut, **COMMON_ERRORS},
    summary="Makulera ett uttag som inte är plockat",
)
def cancel(
    request: HttpRequest, response: HttpResponse, number: Annotated[str, Path(max_length=40)]
) -> render.WithdrawalOut:
    """Until the distributor has picked it, the ordering or prescribing unit or customer
    service cancels a withdrawal: the stock is released, fees are reversed (reversal
    rows), the prescription counts it no more. Idempotent: cancelling again answers the
    same (header `Idempotent-Replayed: true`). After picking: 409 `already_picked`;
    another unit: 422 `not_orderer`."""
    actor = actor_of(request)
    found = get_withdrawal(number, actor=actor, channel="api", audit_read=False)
    try:
        cancelled, changed = cancel_withdrawal(found, actor=actor)
    except DomainError as error:
        raise _conflict(error) from None
    _changed(response, changed)
    return render.withdrawal(cancelled)


@router.post(
    "/{number}/delivery",
    response={200: render.WithdrawalOut, 404: ErrorsOut, 409: ErrorsOut, **COMMON_ERRORS},
    summary="Ändra leveransuppgifterna för ett uttag som inte är plockat",
)
def change(
    request: HttpRequest,
    response: HttpResponse,
    number: Annotated[str, Path(max_length=40)],
    payload: DeliveryChangeIn,
) -> render.WithdrawalOut:
    """Replace the delivery details (destination, pickup point, address, door code, phone,
    notification…) of a withdrawal not yet picked; checked by the same rules as at
    ordering (422 with every rule ID). Fees the new details no longer cost are reversed,
    new ones booked. Idempotent: the same details again change nothing (header
    `Idempotent-Replayed: true`). After picking or cancelling: 409."""
    actor = actor_of(request)
    found = get_withdrawal(number, actor=actor, channel="api", audit_read=False)
    try:
        updated, changed = change_delivery(found, _delivery_request(payload), actor=actor)
    except DomainError as error:
        raise _conflict(error) from None
    _changed(response, changed)
    return render.withdrawal(updated)
