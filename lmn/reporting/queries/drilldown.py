"""The withdrawals behind a figure of the dashboard.

The patient is named only to the head of the unit that ordered, for the unit's own
patients; a protected identity only inside its unit (SKYDD-1). Every patient shown is
audited; the payer's contact sees the withdrawals without any patient.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from lmn.audit.services import Shown, record, record_many
from lmn.core.actor import Actor, Role
from lmn.core.errors import NotFound
from lmn.delivery.details import Destination, Speed
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.states import WithdrawalStatus

from .scope import Period, lines_in_scope, withdrawals_in_scope

LIMIT = 500  # a drill-down lists at most this many, newest first

FIGURES = ("month", "emergency", "express", "pickup_returns", "out_of_assortment", "article")


@dataclass(frozen=True)
class Figure:
    """Which figure to open: its name and, for a month or an article, which one."""

    name: str
    month: dt.date | None = None
    area_code: str = ""
    article_number: str = ""


@dataclass(frozen=True)
class DrillRow:
    withdrawal: Withdrawal
    patient: Any  # the Patient where the actor may see who it was, else None


@dataclass(frozen=True)
class DrillDown:
    figure: Figure
    rows: list[DrillRow]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def _behind(actor: Actor, period: Period, figure: Figure) -> QuerySet[Withdrawal]:
    withdrawals = withdrawals_in_scope(actor, period)
    lines = lines_in_scope(actor, period)
    if figure.name == "month" and figure.month is not None:
        month = Period.month(figure.month)
        lines = lines.filter(withdrawal__placed_at__gte=month.start)
        lines = lines.filter(withdrawal__placed_at__lt=month.end)
        if figure.area_code:
            lines = lines.filter(product__area__code=figure.area_code)
        return withdrawals.filter(pk__in=lines.values("withdrawal_id"))
    if figure.name in ("emergency", "express"):
        speed = Speed.EMERGENCY if figure.name == "emergency" else Speed.EXPRESS
        return withdrawals.filter(speed=speed)
    if figure.name == "pickup_returns":
        return withdrawals.filter(
            destination=Destination.PICKUP_POINT, status=WithdrawalStatus.RETURNED
        )
    if figure.name == "out_of_assortment":
        return withdrawals.filter(
            pk__in=lines.filter(product__procured=False).values("withdrawal_id")
        )
    if figure.name == "article" and figure.article_number:
        lines = lines.filter(product__article_number=figure.article_number)
        return withdrawals.filter(pk__in=lines.values("withdrawal_id"))
    raise NotFound  # an unknown figure answers like a missing record


def may_see_patient(actor: Actor, withdrawal: Withdrawal) -> bool:
    """The unit's own patient, to its head; a protected one only inside its unit."""
    if actor.role != Role.HEAD_OF_UNIT or actor.unit is None:
        return False
    if withdrawal.ordering_unit_id != actor.unit.pk:
        return False
    patient = withdrawal.patient
    return not patient.protected or patient.protected_unit_id == actor.unit.pk


def withdrawals_behind(actor: Actor, period: Period, figure: Figure) -> DrillDown:
    """The withdrawals a figure counts, newest first; the read is audited."""
    behind = _behind(actor, period, figure)
    total = behind.count()
    found = list(
        behind.select_related("patient", "ordering_unit").order_by("-placed_at", "-pk")[:LIMIT]
    )
    rows = [DrillRow(w, w.patient if may_see_patient(actor, w) else None) for w in found]
    shown = [Shown(patient=r.patient, obj=r.withdrawal) for r in rows if r.patient is not None]
    if shown:
        record_many("reporting.drilldown.read", shown, actor=actor)
    else:
        record(
            "reporting.drilldown.read",
            actor=actor,
            data={"figure": figure.name, "withdrawals": len(rows)},
        )
    return DrillDown(figure, rows, total)
