"""A withdrawal's history as the portal shows it: every step, when, and who acted.

Who acted is named as the reader needs it: the distributor and the system by role only,
customer service as such, staff by name, role and unit. The page is for those who may
see the patient (the distributor never reads it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from lmn.core.actor import Role

from .changes import CHANGEABLE
from .models import Withdrawal, WithdrawalEvent
from .shipping import RETURN_REASONS

STEP_TITLES = {
    "placed": gettext_lazy("Beställt"),
    "cancelled": gettext_lazy("Makulerat"),
    "picked": gettext_lazy("Plockat hos distributören"),
    "shipped": gettext_lazy("Skickat med transportören"),
    "delivered": gettext_lazy("Levererat"),
    "arrived": gettext_lazy("Finns på utlämningsstället"),
    "collected": gettext_lazy("Uthämtat"),
    "returned": gettext_lazy("Returnerat till distributören"),
}


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    title: str
    actor: str
    detail: str = ""


def timeline(withdrawal: Withdrawal) -> list[Step]:
    events = withdrawal.events.select_related("actor_user", "actor_unit").order_by("at", "pk")
    return [_step(withdrawal, e) for e in events]


def _step(withdrawal: Withdrawal, e: WithdrawalEvent) -> Step:
    if e.kind == WithdrawalEvent.DELIVERY_CHANGED:
        names = [gettext(CHANGEABLE.get(n, n)) for n in e.changed_fields]
        detail = _("Ändrat: %(fields)s.") % {"fields": ", ".join(names)} if names else ""
        return Step(e.at, _("Leveransuppgifterna ändrade"), actor_text(withdrawal, e), detail)
    detail = ""
    if e.to_status == "returned" and withdrawal.return_reason:
        reason = RETURN_REASONS.get(withdrawal.return_reason, "")
        detail = gettext(reason) if reason else ""
    title = str(STEP_TITLES.get(e.to_status, _("Ny status")))
    return Step(e.at, title, actor_text(withdrawal, e), detail)


def actor_text(withdrawal: Withdrawal, e: WithdrawalEvent) -> str:
    role = e.actor_role or _legacy_role(withdrawal, e)
    if role == Role.DISTRIBUTOR or e.actor_hsa_id.startswith("system:distributor"):
        return _("Distributören")
    if role == Role.SYSTEM:
        return _("LMN (automatiskt)")
    if role == Role.CUSTOMER_SERVICE:
        return _("Kundtjänst")
    if role == Role.PATIENT:
        return _("Patienten (e-tjänsten)")
    if role in (Role.PROXY, Role.PROXY_VIEWER):
        return _("Ombud för patienten (e-tjänsten)")
    orderer = withdrawal.ordered_by
    legacy_orderer = not e.actor_role and orderer is not None and orderer.hsa_id == e.actor_hsa_id
    user = e.actor_user or (orderer if legacy_orderer else None)
    parts = [user.display_name] if user is not None else []
    parts.append(str(Role.LABELS.get(role, _("Personal"))))
    unit = e.actor_unit or (withdrawal.ordering_unit if legacy_orderer else None)
    if unit is not None:
        parts.append(unit.name)
    return ", ".join(parts)


def _legacy_role(withdrawal: Withdrawal, e: WithdrawalEvent) -> str:
    """Rows written before the history kept the role: the orderer's, or the system's."""
    if e.actor_hsa_id.startswith("system:"):
        return Role.SYSTEM
    return withdrawal.ordered_by_role
