"""A prescription with what may be withdrawn on it now."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from lmn.prescriptions.entitlement import Entitlement
from lmn.prescriptions.models import (
    Prescription,
    PrescriptionMove,
    PrescriptionTemplate,
    PrescriptionVersion,
)


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
    version: int
    end_reason: str
    replaces_id: int | None


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
        version=p.version,
        end_reason=p.end_reason,
        replaces_id=p.replaces_id,
    )


class VersionOut(Schema):
    number: int
    kind: str
    consumption: ConsumptionOut
    valid_from: dt.date
    valid_until: dt.date
    max_supply_days: int
    instructions: str
    unit: str
    changed_by_role: str
    changed_at: dt.datetime
    note: str


def version(v: PrescriptionVersion) -> VersionOut:
    return VersionOut(
        number=v.number,
        kind=v.kind,
        consumption=ConsumptionOut(amount=v.consumption_amount, per=v.consumption_period),
        valid_from=v.valid_from,
        valid_until=v.valid_until,
        max_supply_days=v.max_supply_days,
        instructions=v.instructions,
        unit=v.unit.customer_number,
        changed_by_role=v.changed_by_role,
        changed_at=v.changed_at,
        note=v.note,
    )


class HistoryOut(Schema):
    id: int
    reference: str
    versions: list[VersionOut]


class EndedOut(Schema):
    prescription: PrescriptionOut
    stopped_withdrawals: list[str]
    kept_withdrawals: list[str]
    replacement: PrescriptionOut | None


class MoveOut(Schema):
    id: int
    prescription_id: int
    reference: str
    product_name: str
    from_unit: str
    to_unit: str
    status: str
    message: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None


def move(m: PrescriptionMove) -> MoveOut:
    return MoveOut(
        id=m.pk,
        prescription_id=m.prescription_id,
        reference=m.prescription.reference,
        product_name=m.prescription.product.name,
        from_unit=m.from_unit.customer_number,
        to_unit=m.to_unit.customer_number,
        status=m.status,
        message=m.message,
        requested_at=m.requested_at,
        decided_at=m.decided_at,
    )


class TemplateOut(Schema):
    id: int
    article_number: str
    product_name: str
    area: str
    recommended: bool
    available: bool
    consumption: ConsumptionOut
    instructions: str
    shared_with_unit: bool


def template(t: PrescriptionTemplate) -> TemplateOut:
    return TemplateOut(
        id=t.pk,
        article_number=t.product.article_number,
        product_name=t.product.name,
        area=t.product.area.code,
        recommended=t.product.recommended,
        available=t.product.active and t.product.procured,
        consumption=ConsumptionOut(amount=t.consumption_amount, per=t.consumption_period),
        instructions=t.instructions,
        shared_with_unit=t.unit_id is not None,
    )


class WorkListItemOut(Schema):
    prescription_id: int
    reference: str
    patient_id: int
    product_name: str
    valid_until: dt.date
    covered_until: dt.date | None = None
    changed_at: dt.datetime | None = None
    change_kind: str = ""


class WorkListsOut(Schema):
    expiring: list[WorkListItemOut]
    overdue: list[WorkListItemOut]
    changed_by_others: list[WorkListItemOut]
