"""Domain codes to the words users read, in one place for every template.

Statuses and periods are stored as English codes; their Swedish labels live on the
model choices, and these filters look them up there, so a template never prints a code.
"""

from __future__ import annotations

from django import template

from lmn.cases.states import CaseStatus
from lmn.catalog.units import unit_word
from lmn.prescriptions.models import ConsumptionPeriod

from .. import errors

register = template.Library()


@register.filter
def amount(quantity: int | None, unit: str) -> str:
    """{{ 180|amount:"flaska" }} -> "180 flaskor"."""
    if quantity is None:
        return ""
    return f"{int(quantity)} {unit_for(unit, quantity)}"


@register.filter
def unit_for(unit: str, quantity: int | None) -> str:
    """The unit alone, in the form the number takes: {{ unit|unit_for:n }}."""
    return errors.shown(unit_word(int(quantity or 0), unit))


@register.filter
def period_label(code: str) -> str:
    """ "day" -> "per dag"."""
    return _label(ConsumptionPeriod, code)


@register.filter
def case_status_label(code: str) -> str:
    """ "returned_for_completion" -> "Åter för komplettering"."""
    return _label(CaseStatus, code)


@register.filter
def shown(message: str) -> str:
    """A Swedish text a service wrote (a notice, a reason) in the reader's language:
    {{ reason|shown }}. Texts with a date or a name in them have no entry: Swedish."""
    return errors.shown(str(message)) if message else message


def _label(choices: type, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return "–"  # an unknown code is never shown as it is
