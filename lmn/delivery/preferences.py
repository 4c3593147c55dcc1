"""The delivery details a patient saves in the e-service for next time (EPAT-1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import NotFound
from lmn.patients.models import Patient

from .details import Destination, NotifyBy
from .models import DeliveryPreference


@dataclass
class SavedDelivery:
    destination: str = Destination.DOOR
    pickup_point_code: str = ""
    door_code: str = ""
    phone: str = ""
    notify_by: str = NotifyBy.SMS


def saved_delivery(patient: Patient) -> SavedDelivery:
    row = DeliveryPreference.objects.filter(patient=patient).first()
    if row is None:
        return SavedDelivery()
    return SavedDelivery(
        row.destination, row.pickup_point_code, row.door_code, row.phone, row.notify_by
    )


def save_delivery(patient: Patient, saved: SavedDelivery, *, actor: Actor) -> None:
    """Keep the details of an order just placed (already checked by placing it)."""
    if actor.acting_for is None or actor.acting_for.pk != patient.pk:
        raise NotFound()
    with transaction.atomic():
        DeliveryPreference.objects.update_or_create(
            patient=patient,
            defaults={
                "destination": saved.destination,
                "pickup_point_code": saved.pickup_point_code,
                "door_code": saved.door_code,
                "phone": saved.phone,
                "notify_by": saved.notify_by,
                "updated_at": clock.now(),
            },
        )
        record(
            "delivery.preference.saved",
            actor=actor,
            patient=patient,
            channel="e-tjanst",
            data={"destination": saved.destination, "door_code": saved.door_code},
        )
