"""Where an order placed with a voucher goes: as the patient saved in the e-service; else
as the patient's latest standard order went (door code, phone, pickup point and notice
channel included); else to the door of the registered address."""

from __future__ import annotations

from lmn.delivery.details import DeliveryRequest, Destination, Speed
from lmn.delivery.models import DeliveryPreference
from lmn.patients.models import Patient
from lmn.withdrawals.models import Withdrawal

_KEPT = (
    "street",
    "postcode",
    "city",
    "care_of",
    "door_code",
    "entry_phone",
    "name_on_door",
    "leave_outside",
    "phone",
    "email",
    "contact_person",
    "contact_phone",
    "notify_by",
)


def saved_delivery_of(patient: Patient) -> DeliveryRequest:
    saved = DeliveryPreference.objects.filter(patient=patient).first()  # from the e-service
    if saved is not None:
        return DeliveryRequest(
            destination=saved.destination,
            pickup_point_id=saved.pickup_point_code,
            door_code=saved.door_code,
            phone=saved.phone,
            notify_by=saved.notify_by,
        )
    latest = (
        Withdrawal.objects.filter(
            patient=patient,
            speed=Speed.STANDARD,
            destination__in=(Destination.DOOR, Destination.PICKUP_POINT),
        )
        .order_by("-placed_at")
        .first()
    )
    if latest is None:
        return DeliveryRequest()  # the registered address, filled in when placing
    values = {name: getattr(latest, name) for name in _KEPT}
    return DeliveryRequest(
        destination=latest.destination,
        pickup_point_id=latest.pickup_point_id or "",
        **values,
    )
