"""Special housing (SAM-1..SAM-4, AKUT-7, GEN-1): a ward's residents with what each may
withdraw now, and joint orders for several residents at once, all or nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field

from lmn.api import render
from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ApiError, ErrorsOut
from lmn.api.fields import Amount, Id, Text40, Text100
from lmn.api.lookups import visible_patient
from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.core.authorization import JOINT_ORDERERS, ORDERERS, RoutePolicy
from lmn.core.errors import NotFound
from lmn.organisations.models import PrescribingUnit
from lmn.withdrawals.joint import (
    MAX_RESIDENTS,
    JointOrderDraft,
    ResidentLines,
    place_joint_order,
)
from lmn.withdrawals.models import JointOrder, Withdrawal
from lmn.withdrawals.queries import joint_order_visible_to, withdrawals_visible_to
from lmn.withdrawals.services import LineDraft
from lmn.withdrawals.ward_overview import ward_overview

wards_router = Router(tags=["special-housing"])
joint_router = Router(tags=["special-housing"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
WARD_POLICIES: dict[str, RoutePolicy] = {
    "/{customer_number}/residents": RoutePolicy(ORDERERS, refusal="ACC-2"),
}

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
JOINT_POLICIES: dict[str, RoutePolicy] = {
    "": RoutePolicy(JOINT_ORDERERS, refusal="SAM-4"),
    "/{number}": RoutePolicy(JOINT_ORDERERS, refusal="SAM-4"),
}


def _ward(customer_number: str, *, actor: Actor, action: str) -> PrescribingUnit:
    """The ward by customer number. The service answers another ward like a missing one;
    a number no unit has is refused here the same way, and audited too."""
    ward = (
        PrescribingUnit.objects.filter(customer_number=customer_number).first()
        if customer_number.isdigit() and len(customer_number) == 6
        else None
    )
    if ward is None:
        record(
            action,
            actor=actor,
            outcome="not_found",
            channel="api",
            data={"ward": customer_number[:6]},
        )
        raise NotFound()
    return ward


class ResidentPrescriptionOut(Schema):
    prescription: render.PrescriptionOut
    joint_allowed: bool = Field(description="Får ingå i en sambeställning (ej nutrition, SAM-4)")


class ResidentOut(Schema):
    patient: render.PatientSummaryOut
    prescriptions: list[ResidentPrescriptionOut]
    last_withdrawal: str | None


class WardOut(Schema):
    customer_number: str
    name: str
    delivery_place: str
    residents: list[ResidentOut]


@wards_router.get(
    "/{customer_number}/residents",
    response={200: WardOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Avdelningens boende och vad var och en kan ta ut nu",
)
def residents(
    request: HttpRequest, customer_number: Annotated[str, Path(max_length=20)]
) -> WardOut:
    """Only the ward the orderer acts in; any other answers 404. The read is audited."""
    actor = actor_of(request)
    ward = _ward(customer_number, actor=actor, action="withdrawals.ward_overview.read")
    overview = ward_overview(ward, actor=actor, channel="api")
    return WardOut(
        customer_number=ward.customer_number,
        name=ward.name,
        delivery_place=ward.delivery_place,
        residents=[
            ResidentOut(
                patient=render.patient_summary(r.patient),
                prescriptions=[
                    ResidentPrescriptionOut(
                        prescription=render.prescription(p.prescription, p.entitlement),
                        joint_allowed=p.joint_allowed,
                    )
                    for p in r.prescriptions
                ],
                last_withdrawal=r.last_withdrawal.number if r.last_withdrawal else None,
            )
            for r in overview
        ],
    )


class JointLineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    prescription_id: Id
    quantity: Amount


class JointResidentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    patient_id: Id
    lines: list[JointLineIn] = Field(..., min_length=1, max_length=50)


class JointOrderIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ward: Annotated[str, Field(pattern=r"^\d{6}$", description="Avdelningens kundnummer")]
    residents: list[JointResidentIn] = Field(..., max_length=MAX_RESIDENTS + 1)
    speed: Literal["standard", "emergency", "express"] = Field(
        default="standard", description="Bara standard: ingen gemensam akut- eller expressorder"
    )
    contact_person: Text100 = ""
    phone: Text40 = ""


class JointWithdrawalOut(Schema):
    patient_id: int
    withdrawal: str


class JointOrderOut(Schema):
    number: str
    ward: str
    placed_at: dt.datetime
    delivery_place: str
    promised_delivery_date: dt.date | None
    promise_note: str
    withdrawals: list[JointWithdrawalOut]


def _joint_out(order: JointOrder, withdrawals: list[Withdrawal]) -> JointOrderOut:
    return JointOrderOut(
        number=order.number,
        ward=order.ward.customer_number,
        placed_at=order.placed_at,
        delivery_place=order.delivery_place,
        promised_delivery_date=order.promised_delivery_date,
        promise_note=order.promise_note,
        withdrawals=[
            JointWithdrawalOut(patient_id=w.patient_id, withdrawal=w.number)
            for w in sorted(withdrawals, key=lambda w: w.patient_id)
        ],
    )


@joint_router.post(
    "",
    response={201: JointOrderOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Sambeställ för flera boende på en avdelning",
)
def place(request: HttpRequest, payload: JointOrderIn) -> Status[JointOrderOut]:
    """One order for several residents of the ward the orderer acts in; each resident gets
    an individual withdrawal (GEN-1), all are placed or none. Refusals name every broken
    rule (SAM-1..SAM-4, AKUT-7, GEN-3…) with the resident's index in `field`."""
    actor = actor_of(request)
    ward = _ward(payload.ward, actor=actor, action="withdrawals.joint_order.placed")
    draft = JointOrderDraft(
        ward=ward,
        residents=[
            ResidentLines(
                patient=visible_patient(r.patient_id, actor=actor),
                lines=[LineDraft(x.prescription_id, x.quantity) for x in r.lines],
            )
            for r in payload.residents
        ],
        speed=payload.speed,
        contact_person=payload.contact_person,
        phone=payload.phone,
        idempotency_key=_optional_key(request.headers.get("Idempotency-Key")),
    )
    order = place_joint_order(draft, actor=actor)
    # the service audited the placing; what it placed is rendered without another read
    placed = list(withdrawals_visible_to(actor).filter(joint_order=order))
    return Status(201, _joint_out(order, placed))


# printable ASCII; stored with the joint order, so at most its column's length
_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")


def _optional_key(raw: str | None) -> str:
    """An Idempotency-Key, if sent: the same key again answers with the order placed."""
    key = (raw or "").strip()
    if key and not _KEY.match(key):
        raise ApiError(
            400,
            "invalid_idempotency_key",
            "Idempotency-Key ska vara 1–64 synliga ASCII-tecken.",
            "Idempotency-Key",
        )
    return key


@joint_router.get(
    "/{number}",
    response={200: JointOrderOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="En sambeställning med varje boendes uttagsnummer",
)
def read(request: HttpRequest, number: Annotated[str, Path(max_length=20)]) -> JointOrderOut:
    """Only the ward's own joint orders; others answer 404. The read is audited."""
    read = joint_order_visible_to(actor_of(request), number, channel="api")
    return _joint_out(read.order, read.withdrawals)
