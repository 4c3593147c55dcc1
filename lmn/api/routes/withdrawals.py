"""Withdrawals (orders): place one idempotently (GEN-3..GEN-5), read one (audited)."""

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
from lmn.api.lookups import visible_patient
from lmn.audit.models import AuditEvent
from lmn.audit.services import record
from lmn.core.errors import NotFound
from lmn.delivery.details import DeliveryRequest
from lmn.withdrawals.queries import withdrawals_visible_to
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

router = Router(tags=["withdrawals"])

_NUMBER = re.compile(r"^U\d{8}$")
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
    phone: Text40 = ""
    email: Text300 = ""
    contact_person: Text200 = ""
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


def _delivery_request(d: DeliveryIn) -> DeliveryRequest:
    return DeliveryRequest(
        destination=d.destination,
        speed=d.speed,
        street=d.address.street if d.address else "",
        postcode=d.address.postcode if d.address else "",
        city=d.address.city if d.address else "",
        care_of=d.care_of,
        door_code=d.door_code,
        entry_phone=d.entry_phone,
        name_on_door=d.name_on_door,
        phone=d.phone,
        email=d.email,
        contact_person=d.contact_person,
        notify_by=d.notify_by or "",
        pickup_point_id=d.pickup_point_id,
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
        200: render.WithdrawalOut,
        201: render.WithdrawalOut,
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
) -> Status[render.WithdrawalOut]:
    """201 when placed; 200 with the same withdrawal when the same request is sent again
    under the same Idempotency-Key; 409 when the key was used for another request."""
    key = _idempotency_key(idempotency_key)
    actor = actor_of(request)
    patient = visible_patient(payload.patient_id, actor=actor)
    draft = WithdrawalDraft(
        patient=patient,
        lines=[
            LineDraft(prescription_id=x.prescription_id, quantity=x.quantity) for x in payload.lines
        ],
        delivery=_delivery_request(payload.delivery),
    )
    withdrawal, created = place_withdrawal(draft, actor=actor, idempotency_key=key)
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, render.withdrawal(withdrawal))


@router.get("/{number}", response={200: render.WithdrawalOut, 404: ErrorsOut, **COMMON_ERRORS})
def read(request: HttpRequest, number: Annotated[str, Path(max_length=40)]) -> render.WithdrawalOut:
    """A withdrawal by its number (U + 8 digits); the read is audited."""
    actor = actor_of(request)
    found = (
        withdrawals_visible_to(actor)
        .select_related("patient", "ordering_unit")
        .filter(number=number)
        .first()
        if _NUMBER.match(number)
        else None
    )
    if found is None:
        record(
            "withdrawals.withdrawal.read",
            actor=actor,
            outcome=AuditEvent.Outcome.NOT_FOUND,
            channel="api",
            data={"number": number if _NUMBER.match(number) else "(ogiltigt)"},
        )
        raise NotFound()
    record(
        "withdrawals.withdrawal.read", actor=actor, patient=found.patient, obj=found, channel="api"
    )
    return render.withdrawal(found)
