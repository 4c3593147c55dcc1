"""LMN administration's statistics over the whole region: volumes per area, unit and
month; the emergency share per unit, worst first; door versus pickup point; how often
the promised delivery date was kept; and the time series behind the charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DateField, F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate

from lmn.core import clock
from lmn.core.actor import Actor
from lmn.delivery.details import Destination, Speed
from lmn.withdrawals.models import WithdrawalEvent
from lmn.withdrawals.states import WithdrawalStatus

from .costs import cost, priced
from .dashboard import MonthTotal, money, month_totals
from .figures import as_month, month_of, percent
from .scope import Period, lines_in_scope, withdrawals_in_scope

# where a delivery ends: at the door or the unit, or arrived at the pickup point
ARRIVALS = (WithdrawalStatus.DELIVERED, WithdrawalStatus.ARRIVED)


@dataclass(frozen=True)
class VolumeRow:
    month: dt.date
    unit_number: str
    unit_name: str
    area_name: str
    lines: int
    quantity: int
    cost: Decimal  # at the price of the day, excluding VAT


@dataclass(frozen=True)
class UnitEmergency:
    unit_number: str
    unit_name: str
    withdrawals: int
    emergency: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.emergency, self.withdrawals)


@dataclass(frozen=True)
class DestinationRow:
    destination: str
    label: str
    withdrawals: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.withdrawals, self.total)


@dataclass(frozen=True)
class PromiseMonth:
    """Of the withdrawals given a promised date that has come (or was met), how many
    arrived by it; one not yet arrived after its date counts as not kept."""

    month: dt.date
    promised: int
    kept: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.kept, self.promised)


@dataclass(frozen=True)
class Statistics:
    period: Period
    volumes: list[VolumeRow]
    emergency_by_unit: list[UnitEmergency]
    destinations: list[DestinationRow]
    promises: list[PromiseMonth]
    by_month: list[MonthTotal]

    @property
    def promises_total(self) -> PromiseMonth | None:
        if not self.promises:
            return None
        return PromiseMonth(
            self.period.first,
            sum(p.promised for p in self.promises),
            sum(p.kept for p in self.promises),
        )


def volumes(actor: Actor, period: Period) -> list[VolumeRow]:
    rows = (
        priced(lines_in_scope(actor, period))
        .annotate(month=month_of("withdrawal__placed_at"))
        .values(
            "month",
            "withdrawal__ordering_unit__customer_number",
            "withdrawal__ordering_unit__name",
            "product__area__name",
            "product__area__sort_order",
        )
        .annotate(lines=Count("pk"), quantity=Sum("quantity"), cost=cost())
        .order_by(
            "month", "withdrawal__ordering_unit__customer_number", "product__area__sort_order"
        )
    )
    return [
        VolumeRow(
            as_month(r["month"]),
            r["withdrawal__ordering_unit__customer_number"] or "",
            r["withdrawal__ordering_unit__name"] or "",
            r["product__area__name"],
            r["lines"],
            r["quantity"] or 0,
            money(r["cost"]),
        )
        for r in rows
    ]


def emergency_by_unit(actor: Actor, period: Period) -> list[UnitEmergency]:
    """Per ordering unit, the units that cause most emergency deliveries first."""
    rows = (
        withdrawals_in_scope(actor, period)
        .values("ordering_unit__customer_number", "ordering_unit__name")
        .annotate(n=Count("pk"), emergency=Count("pk", filter=Q(speed=Speed.EMERGENCY)))
        .order_by("-emergency", "ordering_unit__customer_number")
    )
    out = [
        UnitEmergency(
            r["ordering_unit__customer_number"] or "",
            r["ordering_unit__name"] or "",
            r["n"],
            r["emergency"],
        )
        for r in rows
    ]
    # equal counts: the higher share first (a small unit with many emergencies stands out)
    return sorted(out, key=lambda u: (-u.emergency, -(u.percent or 0), u.unit_number))


def destinations(actor: Actor, period: Period) -> list[DestinationRow]:
    counts = dict(
        withdrawals_in_scope(actor, period)
        .values_list("destination")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(counts.values())
    return [
        DestinationRow(d, str(Destination.LABELS[d]), counts.get(d, 0), total)
        for d in Destination.ALL
    ]


def promises(actor: Actor, period: Period) -> list[PromiseMonth]:
    """Per month of ordering: promised dates that have come, and how many were kept."""
    arrived = (
        WithdrawalEvent.objects.filter(withdrawal=OuterRef("pk"), to_status__in=ARRIVALS)
        .values("withdrawal")
        .annotate(first=Min("at"))
        .values("first")
    )
    today = clock.today()
    rows = (
        withdrawals_in_scope(actor, period)
        .filter(promised_delivery_date__isnull=False)
        .annotate(arrived_at_=Subquery(arrived))
        .annotate(
            arrived_on=TruncDate("arrived_at_", output_field=DateField(), tzinfo=clock.STOCKHOLM)
        )
        # a promise still ahead, not yet met or missed, is not counted either way
        .filter(Q(arrived_on__isnull=False) | Q(promised_delivery_date__lt=today))
        .annotate(month=month_of("placed_at"))
        .values("month")
        .annotate(
            promised=Count("pk"),
            kept=Count("pk", filter=Q(arrived_on__lte=F("promised_delivery_date"))),
        )
        .order_by("month")
    )
    return [PromiseMonth(as_month(r["month"]), r["promised"], r["kept"]) for r in rows]


def statistics_for(actor: Actor, period: Period) -> Statistics:
    return Statistics(
        period=period,
        volumes=volumes(actor, period),
        emergency_by_unit=emergency_by_unit(actor, period),
        destinations=destinations(actor, period),
        promises=promises(actor, period),
        by_month=month_totals(actor, period),
    )
