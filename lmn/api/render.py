"""Output schemas and the functions that build them from domain objects.

Built explicitly, field by field, so that what leaves the API is a decision, not
whatever a model happens to hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from ninja import Schema

from lmn.catalog.models import Product
from lmn.delivery.details import Destination
from lmn.delivery.models import PickupPoint
from lmn.delivery.rules import DeliveryPlan
from lmn.patients.models import PERSONAL_KINDS, IdentityKind, Patient
from lmn.prescriptions.entitlement import Entitlement
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.queries import prescriptions_of
from lmn.withdrawals.models import Collection, Withdrawal
from lmn.withdrawals.protected import ProtectedWithdrawalRow
from lmn.withdrawals.queries import entitlements_for
from lmn.withdrawals.shipment import JointDelivery, Shipment, joint_delivery


class AddressOut(Schema):
    street: str
    postcode: str
    city: str


class IdentityOut(Schema):
    kind: str  # personnummer | samordningsnummer | lma | ut | protected
    identifier: str  # 12 digits, YYYYMMDDNNNN; 8 for LMA; "" for ut and protected


class PatientSummaryOut(Schema):
    id: int
    identity: IdentityOut
    name: str
    birth_date: dt.date


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


class JointDeliveryOut(Schema):
    """The joint order a parcel is delivered with (SAM-1): to the ward's designated
    place, in the daytime window (SAM-3)."""

    number: str
    ward: str
    ward_customer_number: str
    place: str
    window: str


class CareHomeOut(Schema):
    ward: str
    goods_reception: str


class WorkItemOut(Schema):
    """One row of the distributor's work queue: no patient data beyond the city.

    The parcels of one joint order come one after another, each naming it."""

    number: str
    status: str
    destination: str
    speed: str
    placed_at: dt.datetime
    promised_delivery_date: dt.date | None
    city: str
    pickup_point_id: str
    joint_order: JointDeliveryOut | None


class ShipmentOut(Schema):
    """What the carrier needs to deliver one parcel. The door code is here, as delivery
    data, and never on the label; a protected patient's parcel shows only the unit."""

    number: str
    status: str
    destination: str
    speed: str
    promised_delivery_date: dt.date | None
    recipient: str
    address: AddressOut
    care_of: str
    door_code: str
    entry_phone: bool
    leave_outside: bool
    phone: str
    pickup_point: PickupPointOut | None
    care_home: CareHomeOut | None
    joint_order: JointDeliveryOut | None


class WithdrawalSummaryOut(Schema):
    number: str
    status: str
    placed_at: dt.datetime
    promised_delivery_date: dt.date | None


class PatientOut(PatientSummaryOut):
    address: AddressOut
    resident_region: str
    region_name: str
    protected: bool
    prescriptions: list[PrescriptionOut]
    withdrawals: list[WithdrawalSummaryOut]


class ProductOut(Schema):
    article_number: str
    name: str
    area: str
    area_name: str
    package_size: str
    ordering_unit: str
    price: str  # SEK as a decimal string
    procured: bool
    stocked: bool
    recommended: bool
    stock_quantity: int
    in_stock: bool


_SHOWN_IDENTIFIERS = PERSONAL_KINDS | {IdentityKind.LMA}


def patient_summary(patient: Patient) -> PatientSummaryOut:
    return PatientSummaryOut(
        id=patient.pk,
        # UT-4, SKYDD-2: internal identifiers of people without a number are never shown
        identity=IdentityOut(
            kind=patient.identity_kind,
            identifier=patient.identifier if patient.identity_kind in _SHOWN_IDENTIFIERS else "",
        ),
        name=patient.name,
        birth_date=patient.birth_date,
    )


def patient_detail(patient: Patient) -> PatientOut:
    prescriptions = list(prescriptions_of(patient))
    entitlements = entitlements_for(prescriptions)
    withdrawals = patient.withdrawals.order_by("-placed_at", "-pk")
    return PatientOut(
        **patient_summary(patient).model_dump(),
        address=AddressOut(street=patient.street, postcode=patient.postcode, city=patient.city),
        resident_region=patient.resident_region,
        region_name=patient.region_name,
        protected=patient.protected,
        prescriptions=[prescription(p, entitlements[p.pk]) for p in prescriptions],
        withdrawals=[
            WithdrawalSummaryOut(
                number=w.number,
                status=w.status,
                placed_at=w.placed_at,
                promised_delivery_date=w.promised_delivery_date,
            )
            for w in withdrawals
        ],
    )


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


def withdrawal(w: Withdrawal) -> WithdrawalOut:
    lines = w.lines.select_related("product", "prescription").order_by("pk")
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
        fees=[fee(f.kind, f.label, f.amount_sek) for f in w.fees.order_by("pk")],
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


def placed_withdrawal(w: Withdrawal) -> PlacedWithdrawalOut:
    # the notices placing decided, stored with the withdrawal (and renewed by a delivery
    # change): rendered, never worked out again here
    return PlacedWithdrawalOut(**withdrawal(w).model_dump(), notices=list(w.notices))


def delivery_plan(plan: DeliveryPlan) -> DeliveryPlanOut:
    return DeliveryPlanOut(
        promised_delivery_date=plan.promise.date,
        promise_note=plan.promise.note,
        inside_region=plan.inside_region,
        fees=[fee(f.kind, f.label, f.amount) for f in plan.fees],
        notices=list(plan.notices),
        notify_by=plan.notify_by,
    )


def joint_delivery_out(joint: JointDelivery | None) -> JointDeliveryOut | None:
    if joint is None:
        return None
    return JointDeliveryOut(
        number=joint.number,
        ward=joint.ward,
        ward_customer_number=joint.ward_customer_number,
        place=joint.place,
        window=joint.window,
    )


def work_items(items: Iterable[Withdrawal]) -> list[WorkItemOut]:
    return [
        WorkItemOut(
            number=w.number,
            status=w.status,
            destination=w.destination,
            speed=w.speed,
            placed_at=w.placed_at,
            promised_delivery_date=w.promised_delivery_date,
            city=w.city,
            pickup_point_id=w.pickup_point_id,
            joint_order=joint_delivery_out(joint_delivery(w.joint_order)),
        )
        for w in items
    ]


def shipment(s: Shipment) -> ShipmentOut:
    w = s.withdrawal
    return ShipmentOut(
        number=w.number,
        status=w.status,
        destination=w.destination,
        speed=w.speed,
        promised_delivery_date=w.promised_delivery_date,
        recipient=s.recipient,
        address=AddressOut(street=s.street, postcode=s.postcode, city=s.city),
        care_of=s.care_of,
        door_code=s.door_code,
        entry_phone=w.entry_phone,
        leave_outside=w.leave_outside,
        phone=s.phone,
        pickup_point=pickup_point(s.pickup_point) if s.pickup_point else None,
        care_home=(
            CareHomeOut(ward=s.care_home.ward, goods_reception=s.care_home.goods_reception)
            if s.care_home
            else None
        ),
        joint_order=joint_delivery_out(s.joint),
    )


def products(items: Iterable[Product]) -> list[ProductOut]:
    return [
        ProductOut(
            article_number=p.article_number,
            name=p.name,
            area=p.area.code,
            area_name=p.area.name,
            package_size=p.package_size,
            ordering_unit=p.ordering_unit,
            price=f"{p.price_sek:.2f}",
            procured=p.procured,
            stocked=p.stocked,
            recommended=p.recommended,
            stock_quantity=p.stock_quantity,
            in_stock=p.stock_quantity > 0,
        )
        for p in items
    ]


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
