"""A withdrawal as the orderer sees it: delivery, fees, pickup, lines; and a delivery plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from ninja import Schema

from lmn.delivery.details import Destination
from lmn.delivery.models import PickupPoint
from lmn.delivery.rules import DeliveryPlan
from lmn.withdrawals.cost import OrderCost
from lmn.withdrawals.models import Collection, Withdrawal, WithdrawalFee, WithdrawalLine
from lmn.withdrawals.protected import ProtectedWithdrawalRow

from .patients import AddressOut


class WithdrawalLineOut(Schema):
    prescription_id: int
    prescription_reference: str
    article_number: str
    product_name: str
    quantity: int
    ordering_unit: str


class FeeOut(Schema):
    kind: str  # emergency | express | nutrition_outside_region | return
    label: str  # Swedish, as shown to the orderer, e.g. "Akutleverans"
    amount: str  # SEK as a decimal string, e.g. "150.00"


class PickupPointOut(Schema):
    code: str
    name: str
    street: str
    postcode: str
    city: str


class PickupOut(Schema):
    """At the pickup point (PICK-4). The four-digit code (PICK-9) is never exposed here:
    it goes only to the recipient, in the arrival notification."""

    point: PickupPointOut | None
    arrived_at: dt.datetime | None
    collect_by: dt.date | None
    collected_at: dt.datetime | None


class DeliveryOut(Schema):
    destination: str
    speed: str
    address: AddressOut
    care_of: str
    door_code: str
    entry_phone: bool
    name_on_door: bool
    leave_outside: bool
    multi_family: bool
    phone: str
    email: str
    contact_person: str
    contact_phone: str
    notify_by: str
    pickup_point_id: str


class WithdrawalOut(Schema):
    number: str
    status: str
    patient_id: int
    placed_at: dt.datetime
    ordering_unit: str | None
    promised_delivery_date: dt.date | None
    promise_note: str
    inside_region: bool
    notify_by: str  # the channel the arrival is notified by; "" = not notified (AKUT-4)
    delivery: DeliveryOut
    fees: list[FeeOut]
    pickup: PickupOut | None  # only for destination pickup_point
    return_reason: str  # a key of RETURN_REASONS, "" unless returned
    lines: list[WithdrawalLineOut]


class PlacedWithdrawalOut(WithdrawalOut):
    # what the orderer must know (OUT-6, OUT-9, PICK-4…), in Swedish, as decided at placing
    notices: list[str]


class DeliveryPlanOut(Schema):
    """What placing would promise and cost, shown before the order is confirmed."""

    promised_delivery_date: dt.date | None
    promise_note: str
    inside_region: bool
    fees: list[FeeOut]
    notices: list[str]
    notify_by: str
    # the products at today's prices and who pays, fees included (INV-1, UNIT-2)
    cost: OrderCostOut | None = None


class CostLineOut(Schema):
    name: str
    quantity: int
    unit_price: str | None  # excluding VAT; None: no price today
    amount: str | None


class PayerCostOut(Schema):
    payer: str
    amount_excluding_vat: str
    amount_including_vat: str


class OrderCostOut(Schema):
    lines: list[CostLineOut]
    payers: list[PayerCostOut]


def order_cost(cost: OrderCost) -> OrderCostOut:
    def money(value: Decimal | None) -> str | None:
        return None if value is None else f"{value:.2f}"

    return OrderCostOut(
        lines=[
            CostLineOut(
                name=c.name,
                quantity=c.quantity,
                unit_price=money(c.unit_price),
                amount=money(c.amount),
            )
            for c in cost.lines
        ],
        payers=[
            PayerCostOut(
                payer=p.payer,
                amount_excluding_vat=f"{p.net:.2f}",
                amount_including_vat=f"{p.gross:.2f}",
            )
            for p in cost.payers
        ],
    )


def fee(kind: str, label: str, amount: Decimal) -> FeeOut:
    return FeeOut(kind=kind, label=label, amount=f"{amount:.2f}")


def pickup_point(p: PickupPoint) -> PickupPointOut:
    return PickupPointOut(
        code=p.code, name=p.name, street=p.street, postcode=p.postcode, city=p.city
    )


def pickup(w: Withdrawal) -> PickupOut | None:
    if w.destination != Destination.PICKUP_POINT:
        return None
    point = PickupPoint.objects.filter(code=w.pickup_point_id).first()
    collection = Collection.objects.filter(withdrawal=w).only("collected_at").first()
    return PickupOut(
        point=pickup_point(point) if point else None,
        arrived_at=w.arrived_at,
        collect_by=w.collect_by,
        collected_at=collection.collected_at if collection else None,
    )


def withdrawal(w: Withdrawal) -> WithdrawalOut:
    """The withdrawal as stored: its lines and fees are read."""
    lines = list(w.lines.select_related("product", "prescription").order_by("pk"))
    return _withdrawal(w, lines, list(w.fees.order_by("pk")))


def _withdrawal(
    w: Withdrawal, lines: list[WithdrawalLine], fees: list[WithdrawalFee]
) -> WithdrawalOut:
    return WithdrawalOut(
        number=w.number,
        status=w.status,
        patient_id=w.patient_id,
        placed_at=w.placed_at,
        ordering_unit=w.ordering_unit.customer_number if w.ordering_unit else None,
        promised_delivery_date=w.promised_delivery_date,
        promise_note=w.promise_note,
        inside_region=w.inside_region,
        notify_by=w.notify_by,
        delivery=DeliveryOut(
            destination=w.destination,
            speed=w.speed,
            address=AddressOut(street=w.street, postcode=w.postcode, city=w.city),
            care_of=w.care_of,
            door_code=w.door_code,
            entry_phone=w.entry_phone,
            name_on_door=w.name_on_door,
            leave_outside=w.leave_outside,
            multi_family=w.multi_family,
            phone=w.phone,
            email=w.email,
            contact_person=w.contact_person,
            contact_phone=w.contact_phone,
            notify_by=w.notify_by,
            pickup_point_id=w.pickup_point_id,
        ),
        fees=[fee(f.kind, f.label, f.amount_sek) for f in fees],
        pickup=pickup(w),
        return_reason=w.return_reason,
        lines=[
            WithdrawalLineOut(
                prescription_id=line.prescription_id,
                prescription_reference=line.prescription.reference,
                article_number=line.product.article_number,
                product_name=line.product.name,
                quantity=line.quantity,
                ordering_unit=line.product.ordering_unit,
            )
            for line in lines
        ],
    )


def placed_withdrawal(w: Withdrawal) -> PlacedWithdrawalOut:
    # the notices placing decided, stored with the withdrawal (and renewed by a delivery
    # change): rendered, never worked out again here
    # the lines and fees placing just wrote, when it did (a replay reads them)
    out = _withdrawal(w, *w.placed_rows) if w.placed_rows is not None else withdrawal(w)
    return PlacedWithdrawalOut(**out.model_dump(), notices=list(w.notices))


def delivery_plan(plan: DeliveryPlan, cost: OrderCost | None = None) -> DeliveryPlanOut:
    return DeliveryPlanOut(
        cost=order_cost(cost) if cost is not None else None,
        promised_delivery_date=plan.promise.date,
        promise_note=plan.promise.note,
        inside_region=plan.inside_region,
        fees=[fee(f.kind, f.label, f.amount) for f in plan.fees],
        notices=list(plan.notices),
        notify_by=plan.notify_by,
    )


class ProtectedWithdrawalRowOut(Schema):
    """SKYDD-9: one of the unit's withdrawals for protected persons; nothing about the patient."""

    withdrawal_number: str
    placed_at: dt.datetime
    status: str
    status_label: str
    products: list[str]
    prescriber: str


def protected_withdrawal_rows(
    rows: Iterable[ProtectedWithdrawalRow],
) -> list[ProtectedWithdrawalRowOut]:
    return [
        ProtectedWithdrawalRowOut(
            withdrawal_number=r.number,
            placed_at=r.placed_at,
            status=r.status,
            status_label=r.status_label,
            products=r.products,
            prescriber=r.prescriber,
        )
        for r in rows
    ]
