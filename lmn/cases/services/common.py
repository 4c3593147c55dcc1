"""The case draft, who sees which cases, and the role checks every use case starts with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lmn.catalog.models import Product
from lmn.core.actor import Actor, Role
from lmn.core.errors import PermissionDenied
from lmn.patients.models import Patient

from ..models import Case
from ..states import CaseStatus


@dataclass
class CaseDraft:
    """What the prescriber fills in. Only the fields of the kind are looked at."""

    kind: str
    product: Product
    consumption_amount: int
    consumption_period: str
    instructions: str = ""
    patient: Patient | None = None
    first_name: str = ""
    last_name: str = ""
    birth_date: dt.date | None = None
    lma_number: str = ""
    lma_valid_until: dt.date | None = None
    care_cannot_wait: bool | None = None
    justification: str = ""
    care_of: str = ""
    # outside the region: a person the register does not give LMN (PAT-1, PAT-2)
    personal_number: str = ""


def cases_visible_to(actor: Actor) -> Any:
    """Customer service sees every case; a prescriber the cases of the acting unit."""
    if actor.role == Role.CUSTOMER_SERVICE:
        return Case.objects.all()
    if actor.unit is None:
        return Case.objects.none()
    return Case.objects.filter(unit=actor.unit)


def work_queue(*, actor: Actor, kind: str | None = None) -> list[Case]:
    """Open cases for customer service, oldest first (the back office's queue)."""
    _require_customer_service(actor)
    qs = Case.objects.filter(status__in=[CaseStatus.SUBMITTED, CaseStatus.RESUBMITTED])
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.select_related("product", "unit", "patient").order_by("submitted_at", "pk"))


# --- validation -------------------------------------------------------------------------


def _blank(value: str | None) -> bool:
    return not (value or "").strip()


def _require_prescriber(actor: Actor) -> None:
    if not actor.may_prescribe or actor.unit is None or actor.user is None:
        raise PermissionDenied("ACC-2", "Bara förskrivare kan skicka ärenden.")


def _require_customer_service(actor: Actor) -> None:
    if actor.role != Role.CUSTOMER_SERVICE:
        raise PermissionDenied("customer_service_only", "Bara kundtjänst beslutar om ärenden.")
