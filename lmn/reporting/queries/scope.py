"""What an actor's figures are computed from: the one place that scopes them.

The head of unit sees what the unit ordered; the payer's contact what the payer pays
(UNIT-1, UNIT-2: the payer of the ordering unit for the line's product area);
LMN administration sees everything. Any other role sees nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.withdrawals.models import Withdrawal, WithdrawalFee, WithdrawalLine
from lmn.withdrawals.states import WithdrawalStatus

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Period:
    """Whole calendar months, `first` to `last` (both the 1st of their month)."""

    first: dt.date
    last: dt.date

    @classmethod
    def ending(cls, last: dt.date, months: int = MONTHS_SHOWN) -> Period:
        last = last.replace(day=1)
        return cls(clock.add_months(last, -(months - 1)), last)

    @classmethod
    def month(cls, month: dt.date) -> Period:
        return cls(month.replace(day=1), month.replace(day=1))

    @property
    def months(self) -> list[dt.date]:
        out, month = [], self.first
        while month <= self.last:
            out.append(month)
            month = clock.add_months(month, 1)
        return out

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time.min, tzinfo=clock.STOCKHOLM)

    @property
    def end(self) -> dt.datetime:
        after = clock.add_months(self.last, 1)
        return dt.datetime.combine(after, dt.time.min, tzinfo=clock.STOCKHOLM)


def _placed_in(period: Period) -> dict[str, dt.datetime]:
    return {"placed_at__gte": period.start, "placed_at__lt": period.end}


def withdrawals_in_scope(actor: Actor, period: Period) -> QuerySet[Withdrawal]:
    """The withdrawals placed in the period that count (a cancelled one does not)."""
    qs = Withdrawal.objects.filter(**_placed_in(period)).exclude(status=WithdrawalStatus.CANCELLED)
    if actor.role == Role.ADMIN:
        return qs
    if actor.role == Role.HEAD_OF_UNIT and actor.unit is not None:
        return qs.filter(ordering_unit=actor.unit)
    if actor.role == Role.PAYER and actor.payer is not None:
        pays_line = WithdrawalLine.objects.filter(withdrawal=OuterRef("pk"), payer=actor.payer)
        pays_fee = WithdrawalFee.objects.filter(withdrawal=OuterRef("pk"), payer=actor.payer)
        return qs.filter(Exists(pays_line) | Exists(pays_fee))
    return qs.none()


def lines_in_scope(actor: Actor, period: Period) -> QuerySet[WithdrawalLine]:
    """The withdrawal lines of the period that count, as the actor may see them."""
    qs = WithdrawalLine.objects.filter(
        withdrawal__placed_at__gte=period.start, withdrawal__placed_at__lt=period.end
    ).exclude(withdrawal__status=WithdrawalStatus.CANCELLED)
    if actor.role == Role.ADMIN:
        return qs
    if actor.role == Role.HEAD_OF_UNIT and actor.unit is not None:
        return qs.filter(withdrawal__ordering_unit=actor.unit)
    if actor.role == Role.PAYER and actor.payer is not None:
        return qs.filter(payer=actor.payer)
    return qs.none()


def fees_in_scope(actor: Actor, period: Period) -> QuerySet[WithdrawalFee]:
    """The fees (and their reversals, which net them out) of the period's withdrawals."""
    qs = WithdrawalFee.objects.filter(
        withdrawal__placed_at__gte=period.start, withdrawal__placed_at__lt=period.end
    )
    if actor.role == Role.ADMIN:
        return qs
    if actor.role == Role.HEAD_OF_UNIT and actor.unit is not None:
        return qs.filter(withdrawal__ordering_unit=actor.unit)
    if actor.role == Role.PAYER and actor.payer is not None:
        return qs.filter(payer=actor.payer)
    return qs.none()
