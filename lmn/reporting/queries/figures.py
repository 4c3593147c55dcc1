"""Small shared shapes and arithmetic of the figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth

from lmn.core import clock

ZERO = Decimal("0.00")


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent with one decimal (half up); None of nothing."""
    if whole == 0:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def month_of(field: str) -> TruncMonth:
    """The calendar month in Sweden: an order at 00:30 on 1 May is May's, not April's."""
    return TruncMonth(field, tzinfo=clock.STOCKHOLM)


def as_month(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.astimezone(clock.STOCKHOLM).date()
    return value.replace(day=1)


def fee_sum(fees: QuerySet, kind: str) -> Decimal:  # type: ignore[type-arg]
    """The fees of a kind, net of their reversals."""
    total = fees.filter(kind=kind).aggregate(total=Sum("amount_sek"))["total"]
    return (total or ZERO).quantize(ZERO)


@dataclass(frozen=True)
class Share:
    """How many of the withdrawals were of a kind, and what its fees came to."""

    count: int
    total: int
    fees: Decimal

    @property
    def percent(self) -> Decimal | None:
        return percent(self.count, self.total)
