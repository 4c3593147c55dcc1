"""My products: per prescription what can be ordered now, or from when, in a sentence.

The numbers come from the one entitlement function (GEN-3, lmn.prescriptions.entitlement);
this module only says them. Whom to contact is the prescribing unit, by its name and
switchboard, never the prescriber (CON-2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from lmn.audit.services import record
from lmn.catalog.units import quantity_text
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.prescriptions.entitlement import Entitlement
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.queries import prescriptions_visible_to
from lmn.withdrawals.queries import entitlements_for

SOON_DAYS = 30  # a prescription ending within this many days says whom to contact
SHOWN_AFTER_END_DAYS = 90  # an ended one stays on the page this long, with whom to contact


@dataclass(frozen=True)
class MyProduct:
    prescription: Prescription
    entitlement: Entitlement
    consumption: str
    when: str  # what can be ordered now, or from when, as a sentence
    contact: str  # whom to contact, when it has ended or ends soon; else ""

    @property
    def orderable_now(self) -> int:
        return self.entitlement.withdrawable_now


def _date(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


def when_sentence(p: Prescription, ent: Entitlement) -> str:
    unit = p.product.ordering_unit
    if ent.withdrawable_now > 0:
        return _("Du kan beställa nu, högst %(most)s.") % {
            "most": quantity_text(ent.withdrawable_now, unit)
        }
    if ent.reason == "prescription_not_yet_valid" and ent.next_possible_date:
        return _("Förskrivningen gäller från %(date)s.") % {"date": _date(ent.next_possible_date)}
    if ent.next_possible_date is not None:
        return _(
            "Du kan beställa igen från %(date)s, när %(days)s dagar återstår av det du redan fått."
        ) % {"date": _date(ent.next_possible_date), "days": p.max_supply_days // 3}
    if ent.reason == "prescription_expired":
        return _("Förskrivningen har gått ut.")
    if ent.reason == "prescription_fully_withdrawn":
        return _("Du har fått allt som förskrivningen räcker till.")
    return _("Förskrivningen kan inte användas för fler beställningar.")


def contact_sentence(p: Prescription, ent: Entitlement, today: dt.date) -> str:
    unit = p.unit
    ended = ent.reason in ("prescription_expired", "prescription_ended")
    soon = p.valid_until <= today + dt.timedelta(days=SOON_DAYS)
    if not (ended or soon):
        return ""
    who = (
        _("Kontakta %(unit)s, telefon %(phone)s.") % {"unit": unit.name, "phone": unit.phone}
        if unit.phone
        else _("Kontakta %(unit)s.") % {"unit": unit.name}
    )
    if ended:
        return _("Behöver du produkten igen? %(who)s") % {"who": who}
    return _("Förskrivningen gäller till %(date)s. Behöver du den längre? %(who)s") % {
        "date": _date(p.valid_until),
        "who": who,
    }


def consumption_text(p: Prescription) -> str:
    amount = quantity_text(p.consumption_amount, p.product.ordering_unit)
    return f"{amount} {p.get_consumption_period_display()}"


def my_products(*, actor: Actor) -> list[MyProduct]:
    """The patient's current prescriptions (and those ended lately); the read is audited."""
    today = clock.today()
    rows = list(
        prescriptions_visible_to(actor)
        .filter(
            patient=actor.acting_for,
            valid_until__gte=today - dt.timedelta(days=SHOWN_AFTER_END_DAYS),
        )
        .order_by("product__name", "pk")
    )
    ents = entitlements_for(rows, today=today)
    record("eservice.products.read", actor=actor, patient=actor.acting_for, channel="e-tjanst")
    return [
        MyProduct(
            p,
            ents[p.pk],
            consumption_text(p),
            when_sentence(p, ents[p.pk]),
            contact_sentence(p, ents[p.pk], today),
        )
        for p in rows
    ]
