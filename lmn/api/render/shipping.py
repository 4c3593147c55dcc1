"""What the distributor is shown: the work queue and one shipment (no patient identity)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ninja import Schema

from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.shipment import JointDelivery, Shipment, joint_delivery

from .patients import AddressOut
from .withdrawals import FeeOut, PickupOut, PickupPointOut, fee, pickup, pickup_point


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


class ShipmentStepOut(Schema):
    """The answer to a shipment step or a collection: the withdrawal's new state, and not
    the patient's internal id, which the distributor's work does not need (PDL-1)."""

    number: str
    status: str
    ordering_unit: str | None
    promised_delivery_date: dt.date | None
    notify_by: str
    pickup: PickupOut | None  # only for destination pickup_point
    return_reason: str  # a key of RETURN_REASONS, "" unless returned
    fees: list[FeeOut]  # a return adds the return fee for the paying unit (OUT-8)


def shipment_step(w: Withdrawal) -> ShipmentStepOut:
    return ShipmentStepOut(
        number=w.number,
        status=w.status,
        ordering_unit=w.ordering_unit.customer_number if w.ordering_unit else None,
        promised_delivery_date=w.promised_delivery_date,
        notify_by=w.notify_by,
        pickup=pickup(w),
        return_reason=w.return_reason,
        fees=[fee(f.kind, f.label, f.amount_sek) for f in w.fees.order_by("pk")],
    )
