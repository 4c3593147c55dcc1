"""Delivery details given by whoever orders, at ordering time (GEN-4, GEN-5).

This module checks the form of each detail (lengths, postcode, phone, e-mail) and
answers with stable codes and plain Swedish; `rules.py` checks what the routine
requires of each destination and speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from django.utils.translation import gettext_lazy as _
from stdnum.se import postnummer

from lmn.core.errors import DomainError, Problem


class Destination:
    DOOR = "door"
    PICKUP_POINT = "pickup_point"
    UNIT = "unit"
    ALL = (DOOR, PICKUP_POINT, UNIT)
    LABELS = {DOOR: _("Hemleverans"), PICKUP_POINT: _("Utlämningsställe"), UNIT: _("Till enheten")}


class Speed:
    STANDARD = "standard"
    EMERGENCY = "emergency"
    EXPRESS = "express"
    ALL = (STANDARD, EMERGENCY, EXPRESS)
    LABELS = {STANDARD: _("Standard"), EMERGENCY: _("Akut"), EXPRESS: _("Express")}


class NotifyBy:
    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"
    ALL = (SMS, EMAIL, LETTER)


_TEXT_LIMITS = {
    "street": 200,
    "city": 100,
    "care_of": 100,
    "door_code": 20,
    "contact_person": 100,
    "contact_phone": 30,
    "email": 254,
}
_DOOR_CODE = re.compile(r"^[0-9A-Za-z#*\- ]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class DeliveryRequest:
    destination: str = Destination.DOOR
    speed: str = Speed.STANDARD
    street: str = ""
    postcode: str = ""
    city: str = ""
    care_of: str = ""
    door_code: str = ""
    entry_phone: bool = False
    name_on_door: bool = True
    leave_outside: bool = False  # "får ställas utanför" (OUT-1)
    multi_family: bool | None = None  # None: as registered for the patient's own address
    phone: str = ""
    email: str = ""
    contact_person: str = ""
    # a phone to the contact person, e.g. an adult relative of a child patient (PICK-8)
    contact_phone: str = ""
    notify_by: str = ""
    pickup_point_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _clean(value: str) -> str:
    return " ".join(value.split())


def validate_delivery(req: DeliveryRequest) -> DeliveryRequest:
    """Return the request normalised, or raise DomainError with every problem found."""
    problems: list[Problem] = []
    if req.destination not in Destination.ALL:
        problems.append(
            Problem("invalid_destination", "Välj ett giltigt leveranssätt.", "delivery.destination")
        )
    if req.speed not in Speed.ALL:
        problems.append(
            Problem("invalid_speed", "Välj en giltig leveranshastighet.", "delivery.speed")
        )
    for name, limit in _TEXT_LIMITS.items():
        value = _clean(getattr(req, name))
        setattr(req, name, value)
        if len(value) > limit:
            problems.append(
                Problem("too_long", f"Högst {limit} tecken är tillåtna.", f"delivery.{name}")
            )
    problems += _address_problems(req)
    if req.door_code and not _DOOR_CODE.match(req.door_code):
        problems.append(
            Problem(
                "invalid_door_code",
                "Portkoden får bara innehålla siffror, bokstäver, # och *.",
                "delivery.door_code",
            )
        )
    problems += _phone_problems(req)
    problems.extend(_contact_problems(req))
    if req.email and not _EMAIL.match(req.email):
        problems.append(Problem("invalid_email", "Ange en giltig e-postadress.", "delivery.email"))
    if req.notify_by and req.notify_by not in NotifyBy.ALL:
        problems.append(
            Problem(
                "invalid_notify_by",
                "Välj avisering via sms, e-post eller brev.",
                "delivery.notify_by",
            )
        )
    if problems:
        raise DomainError(*problems)
    return req


def _address_problems(req: DeliveryRequest) -> list[Problem]:
    """Street, city and a Swedish postcode (normalised to five digits on `req`)."""
    problems: list[Problem] = []
    # each missing part at its own field, so a form shows each where it is missing
    if req.street == "":
        problems.append(Problem("address_required", "Ange gatuadress.", "delivery.street"))
    if req.city == "":
        problems.append(Problem("address_required", "Ange ort.", "delivery.city"))
    compact_postcode = re.sub(r"\s", "", req.postcode)
    if not postnummer.is_valid(compact_postcode):
        problems.append(
            Problem(
                "invalid_postcode",
                "Ange ett svenskt postnummer med fem siffror, t.ex. 413 01.",
                "delivery.postcode",
            )
        )
    else:
        req.postcode = postnummer.compact(compact_postcode)
    return problems


def _phone_problems(req: DeliveryRequest) -> list[Problem]:
    """A valid phone number, normalised to E.164 on `req`."""
    if not req.phone:
        return []
    normalised = normalise_phone(req.phone)
    if normalised is None:
        return [
            Problem(
                "invalid_phone",
                "Ange ett giltigt svenskt telefonnummer, t.ex. 070-123 45 67.",
                "delivery.phone",
            )
        ]
    req.phone = normalised
    return []


def _contact_problems(req: DeliveryRequest) -> list[Problem]:
    """The contact person's phone is a valid number, and never without their name."""
    if not req.contact_phone:
        return []
    problems = []
    normalised = normalise_phone(req.contact_phone)
    if normalised is None:
        problems.append(
            Problem(
                "invalid_phone",
                "Ange ett giltigt telefonnummer till kontaktpersonen, t.ex. 070-123 45 67.",
                "delivery.contact_phone",
            )
        )
    else:
        req.contact_phone = normalised
    if not req.contact_person:
        problems.append(
            Problem(
                "contact_person_required",
                "Ange kontaktpersonens namn till telefonnumret.",
                "delivery.contact_person",
            )
        )
    return problems


def valid_email(raw: str) -> bool:
    return len(raw) <= 254 and bool(_EMAIL.match(raw))


def normalise_phone(raw: str) -> str | None:
    """E.164 form of a valid Swedish (or international) number, else None."""
    if len(raw) > 30:
        return None
    try:
        number = phonenumbers.parse(raw, "SE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_same_address(
    street: str, postcode: str, *, registered_street: str, registered_postcode: str
) -> bool:
    """Whether a typed street and postcode are the registered ones, normalised as
    `validate_delivery` normalises them (letter case aside): adapters ask here rather
    than normalising addresses themselves."""
    return (
        _clean(street).casefold() == registered_street.casefold()
        and re.sub(r"\s", "", postcode) == registered_postcode
    )
