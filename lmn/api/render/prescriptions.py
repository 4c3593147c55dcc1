"""A prescription with what may be withdrawn on it now."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from lmn.prescriptions.entitlement import Entitlement
from lmn.prescriptions.models import Prescription


class EntitlementOut(Schema):
    withdrawable_now: int
    next_possible_date: dt.date | None


class ConsumptionOut(Schema):
    amount: int
    per: str


class PrescriptionOut(Schema):
    id: int
    reference: str
    patient_id: int
    article_number: str
    product_name: str
    area: str
    ordering_unit: str
    consumption: ConsumptionOut
    valid_from: dt.date
    valid_until: dt.date
    max_supply_days: int
    instructions: str
    status: str
    unit: str
    created_at: dt.datetime
    entitlement: EntitlementOut


def prescription(p: Prescription, entitlement: Entitlement) -> PrescriptionOut:
    return PrescriptionOut(
        id=p.pk,
        reference=p.reference,
        patient_id=p.patient_id,
        article_number=p.product.article_number,
        product_name=p.product.name,
        area=p.product.area.code,
        ordering_unit=p.product.ordering_unit,
        consumption=ConsumptionOut(amount=p.consumption_amount, per=p.consumption_period),
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        max_supply_days=p.max_supply_days,
        instructions=p.instructions,
        status=p.status,
        unit=p.unit.customer_number,
        created_at=p.created_at,
        entitlement=EntitlementOut(
            withdrawable_now=entitlement.withdrawable_now,
            next_possible_date=entitlement.next_possible_date,
        ),
    )
