"""Through which channel a patient is reminded, and at which address."""

from __future__ import annotations

from dataclasses import dataclass

from lmn.delivery.models import DeliveryPreference
from lmn.patients.models import Patient
from lmn.withdrawals.models import Withdrawal

from .models import ReminderChannel, ReminderSetting


@dataclass(frozen=True)
class Route:
    channel: str
    recipient: str


def _letter(patient: Patient) -> Route | None:
    if not (patient.street and patient.postcode):
        return None
    return Route(
        ReminderChannel.LETTER,
        f"{patient.name}, {patient.street}, {patient.postcode} {patient.city}",
    )


def channel_for(patient: Patient) -> Route | None:
    """The patient's own choice; else the SMS number saved in the e-service; else how their
    latest order was notified; else a letter.

    None: the patient opted out, or there is nowhere to send it."""
    setting = ReminderSetting.objects.filter(patient=patient).first()
    if setting is not None:
        if setting.opted_out:
            return None
        if setting.channel == ReminderChannel.SMS and setting.phone:
            return Route(ReminderChannel.SMS, setting.phone)
        if setting.channel == ReminderChannel.EMAIL and setting.email:
            return Route(ReminderChannel.EMAIL, setting.email)
        if setting.channel == ReminderChannel.LETTER:
            return _letter(patient)
    saved = DeliveryPreference.objects.filter(patient=patient).first()  # from the e-service
    if saved is not None and saved.notify_by == ReminderChannel.SMS and saved.phone:
        return Route(ReminderChannel.SMS, saved.phone)
    latest = (
        Withdrawal.objects.filter(patient=patient)
        .exclude(phone="", email="")
        .order_by("-placed_at")
        .values("notify_by", "phone", "email")
        .first()
    )
    if latest is not None:
        if latest["notify_by"] == ReminderChannel.EMAIL and latest["email"]:
            return Route(ReminderChannel.EMAIL, latest["email"])
        if latest["phone"]:
            return Route(ReminderChannel.SMS, latest["phone"])
        if latest["email"]:
            return Route(ReminderChannel.EMAIL, latest["email"])
    return _letter(patient)
