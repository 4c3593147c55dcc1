"""What the distributor and the carrier need to deliver a parcel (SAM-1, SAM-3, PICK-1, OUT-5).

One place for the delivery data that the work queue, the distributor's API and the label
show: the joint order a parcel belongs to with its designated place and daytime window,
the ward and its goods reception, the pickup point's name. The door code is delivery
data for the carrier, never printed on the parcel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lmn.audit.services import record
from lmn.core.actor import Actor, Role
from lmn.core.errors import PermissionDenied
from lmn.delivery.details import Destination
from lmn.delivery.models import PickupPoint
from lmn.organisations.models import PrescribingUnit

from .models import JointOrder, Withdrawal

# SAM-3: joint deliveries reach the ward in the daytime, when staff can receive them
DAYTIME_WINDOW = "08.00–16.00"


@dataclass(frozen=True)
class JointDelivery:
    """The joint order a parcel is delivered with (SAM-1), where and when (SAM-3)."""

    number: str
    ward: str
    ward_customer_number: str
    place: str
    window: str = DAYTIME_WINDOW


@dataclass(frozen=True)
class CareHome:
    """A ward in special housing that receives the parcel at its goods reception."""

    ward: str
    goods_reception: str


def joint_delivery(order: JointOrder | None) -> JointDelivery | None:
    if order is None:
        return None
    return JointDelivery(
        number=order.number,
        ward=order.ward.name,
        ward_customer_number=order.ward.customer_number,
        place=order.delivery_place,
    )


def care_home(w: Withdrawal) -> CareHome | None:
    """The ward and goods reception of a parcel to special housing, else None.

    A joint order keeps the place as it was when ordered; a single order to the ward
    uses the ward's designated place.
    """
    if w.destination != Destination.UNIT:
        return None
    if w.joint_order is not None:
        return CareHome(w.joint_order.ward.name, w.joint_order.delivery_place)
    unit = w.ordering_unit
    if unit is None or unit.kind != PrescribingUnit.Kind.SPECIAL_HOUSING:
        return None
    return CareHome(unit.name, unit.delivery_place)


def pickup_point_of(w: Withdrawal) -> PickupPoint | None:
    if w.destination != Destination.PICKUP_POINT or not w.pickup_point_id:
        return None
    return PickupPoint.objects.filter(code=w.pickup_point_id).first()


def grouped_by_joint_order(rows: Iterable[Withdrawal]) -> list[list[Withdrawal]]:
    """Rows in their order, but a joint order's parcels together where its first one is.

    Each single parcel is a group of its own; the parcels of one joint order are
    delivered together (SAM-1), so the depot sees and handles them as one group.
    """
    groups: list[list[Withdrawal]] = []
    by_joint: dict[int, list[Withdrawal]] = {}
    for w in rows:
        if w.joint_order_id is None:
            groups.append([w])
        elif w.joint_order_id in by_joint:
            by_joint[w.joint_order_id].append(w)
        else:
            by_joint[w.joint_order_id] = [w]
            groups.append(by_joint[w.joint_order_id])
    return groups


@dataclass(frozen=True)
class Shipment:
    """A parcel as the carrier needs it: where, to whom, how to get in, with what."""

    withdrawal: Withdrawal
    recipient: str  # the name on the parcel
    street: str
    postcode: str
    city: str
    care_of: str
    door_code: str  # delivery data for the carrier, never on the label
    phone: str
    pickup_point: PickupPoint | None
    care_home: CareHome | None
    joint: JointDelivery | None


def addressee(w: Withdrawal) -> tuple[str, str]:
    """The name on the parcel and a prescriber line: for a protected patient the
    prescribing unit and the prescriber, never the patient (SKYDD-6)."""
    if not w.patient.protected:
        return w.patient.name, ""
    line = w.lines.select_related("prescription__unit", "prescription__prescriber").first()
    unit = line.prescription.unit if line else w.ordering_unit
    prescriber = line.prescription.prescriber.display_name if line else ""
    return (unit.name if unit else "Förskrivande enhet"), prescriber


def shipment_of(w: Withdrawal) -> Shipment:
    """The delivery data of one parcel; of a protected patient only the unit's (SKYDD-6)."""
    recipient, _ = addressee(w)
    protected = w.patient.protected
    # a protected patient's parcel goes to the unit; any other address is not shown
    address_shown = not protected or w.destination == Destination.UNIT
    return Shipment(
        withdrawal=w,
        recipient=recipient,
        street=w.street if address_shown else "",
        postcode=w.postcode if address_shown else "",
        city=w.city if address_shown else "",
        care_of=w.care_of if address_shown else "",
        door_code="" if protected else w.door_code,
        phone="" if protected else w.phone,
        pickup_point=None if protected else pickup_point_of(w),
        care_home=care_home(w),
        joint=joint_delivery(w.joint_order),
    )


def read_shipment(w: Withdrawal, *, actor: Actor, channel: str = "") -> Shipment:
    """The delivery data for the distributor; reading it reads patient data, so audited."""
    if actor.role not in (Role.DISTRIBUTOR, Role.SYSTEM):
        raise PermissionDenied("distributor_only", "Bara distributören läser leveransuppgifter.")
    found = shipment_of(w)
    record("withdrawals.shipment.read", actor=actor, patient=w.patient, obj=w, channel=channel)
    return found


@dataclass(frozen=True)
class QueueGroup:
    """One joint order's parcels with its place and window, or one single parcel."""

    joint: JointDelivery | None
    rows: list[Withdrawal]


def queue_groups(rows: Iterable[Withdrawal]) -> list[QueueGroup]:
    return [
        QueueGroup(joint_delivery(group[0].joint_order), group)
        for group in grouped_by_joint_order(rows)
    ]
