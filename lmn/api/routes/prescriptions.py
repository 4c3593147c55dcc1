"""Prescriptions: register one (GEN-2), read one (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field

from lmn.api import render
from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ErrorsOut
from lmn.api.fields import MAX_ID, Amount, Id, Text20, Text1000
from lmn.api.lookups import visible_patient
from lmn.audit.models import AuditEvent
from lmn.audit.services import record
from lmn.catalog.models import Product
from lmn.core.authorization import PATIENT_READERS, SELF_SERVICE, RoutePolicy, prescribing
from lmn.core.errors import DomainError, NotFound
from lmn.prescriptions.queries import prescriptions_visible_to
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.withdrawals.queries import entitlement_for

router = Router(tags=["prescriptions"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
POLICIES: dict[str, RoutePolicy] = {
    "": prescribing("patient"),
    "/{prescription_id}": RoutePolicy(PATIENT_READERS | SELF_SERVICE, "prescription"),
}


class ConsumptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: Amount
    per: Literal["day", "week", "month"]


class PrescriptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    patient_id: Id
    article_number: Text20
    consumption: ConsumptionIn
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    max_supply_days: Amount | None = None
    instructions: Text1000 = Field(default="", description="Högst 500 tecken")


@router.post(
    "",
    response={201: render.PrescriptionOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Registrera en förskrivning",
)
def create(request: HttpRequest, payload: PrescriptionIn) -> Status[render.PrescriptionOut]:
    """Answers with the reference (F + 8 digits) the prescriber documents in the journal."""
    actor = actor_of(request)
    patient = visible_patient(payload.patient_id, actor=actor)
    product = (
        Product.objects.select_related("area").filter(article_number=payload.article_number).first()
    )
    if product is None:
        raise DomainError.single(
            "product_not_found", "Det finns ingen produkt med det artikelnumret.", "article_number"
        )
    p = create_prescription(
        PrescriptionDraft(
            patient=patient,
            product=product,
            consumption_amount=payload.consumption.amount,
            consumption_period=payload.consumption.per,
            valid_from=payload.valid_from,
            valid_until=payload.valid_until,
            max_supply_days=payload.max_supply_days,
            instructions=payload.instructions,
        ),
        actor=actor,
    )
    return Status(201, render.prescription(p, entitlement_for(p)))


@router.get(
    "/{prescription_id}", response={200: render.PrescriptionOut, 404: ErrorsOut, **COMMON_ERRORS}
)
def read(
    request: HttpRequest, prescription_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> render.PrescriptionOut:
    actor = actor_of(request)
    p = prescriptions_visible_to(actor).filter(pk=prescription_id).first()
    if p is None:
        record(
            "prescriptions.prescription.read",
            actor=actor,
            outcome=AuditEvent.Outcome.NOT_FOUND,
            channel="api",
            data={"prescription_id": prescription_id},
        )
        raise NotFound()
    record("prescriptions.prescription.read", actor=actor, patient=p.patient, obj=p, channel="api")
    return render.prescription(p, entitlement_for(p))
