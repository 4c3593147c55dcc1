"""The payer's and the unit's dashboard: what was ordered, when, and at what extra cost."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from lmn.core.actor import Actor
from lmn.delivery.details import Destination, Speed
from lmn.withdrawals.states import WithdrawalStatus

from .costs import cost, priced
from .figures import ZERO, Share, as_month, fee_sum, month_of
from .scope import Period, fees_in_scope, lines_in_scope, withdrawals_in_scope

TOP_ARTICLES = 10


@dataclass(frozen=True)
class MonthArea:
    month: dt.date
    area_code: str
    area_name: str
    lines: int
    quantity: int
    cost: Decimal  # the lines at the price of the day, excluding VAT


@dataclass(frozen=True)
class MonthTotal:
    month: dt.date
    withdrawals: int
    lines: int
    quantity: int
    cost: Decimal  # the lines
    fees: Decimal  # emergency, express, returns, out of assortment…, net of reversals

    @property
    def total(self) -> Decimal:
        return self.cost + self.fees


@dataclass(frozen=True)
class ArticleRow:
    article_number: str
    name: str
    area_name: str
    procured: bool
    lines: int
    quantity: int
    cost: Decimal


@dataclass(frozen=True)
class Dashboard:
    period: Period
    by_month_area: list[MonthArea]
    by_month: list[MonthTotal]
    emergency: Share
    express: Share
    pickup_returns: Share  # of the withdrawals sent to a pickup point (PICK-4)
    out_of_assortment: Share  # of the lines (OOA-6)
    top_articles: list[ArticleRow]


def month_area_rows(actor: Actor, period: Period) -> list[MonthArea]:
    rows = (
        priced(lines_in_scope(actor, period))
        .annotate(month=month_of("withdrawal__placed_at"))
        .values("month", "product__area__code", "product__area__name", "product__area__sort_order")
        .annotate(lines=Count("pk"), quantity=Sum("quantity"), cost=cost())
        .order_by("month", "product__area__sort_order")
    )
    return [
        MonthArea(
            as_month(r["month"]),
            r["product__area__code"],
            r["product__area__name"],
            r["lines"],
            r["quantity"] or 0,
            money(r["cost"]),
        )
        for r in rows
    ]


def money(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(ZERO)


def month_totals(actor: Actor, period: Period) -> list[MonthTotal]:
    """Every month of the period, also those with nothing ordered (a chart shows the gap)."""
    lines = {
        as_month(r["month"]): r
        for r in priced(lines_in_scope(actor, period))
        .annotate(month=month_of("withdrawal__placed_at"))
        .values("month")
        .annotate(lines=Count("pk"), quantity=Sum("quantity"), cost=cost())
        .order_by()
    }
    fees = {
        as_month(r["month"]): money(r["total"])
        for r in fees_in_scope(actor, period)
        .annotate(month=month_of("withdrawal__placed_at"))
        .values("month")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    }
    withdrawals = {
        as_month(r["month"]): r["n"]
        for r in withdrawals_in_scope(actor, period)
        .annotate(month=month_of("placed_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        MonthTotal(
            m,
            withdrawals.get(m, 0),
            lines[m]["lines"] if m in lines else 0,
            (lines[m]["quantity"] or 0) if m in lines else 0,
            money(lines[m]["cost"]) if m in lines else ZERO,
            fees.get(m, ZERO),
        )
        for m in period.months
    ]


def speed_share(actor: Actor, period: Period, speed: str) -> Share:
    withdrawals = withdrawals_in_scope(actor, period)
    return Share(
        withdrawals.filter(speed=speed).count(),
        withdrawals.count(),
        fee_sum(fees_in_scope(actor, period), speed),  # fee kinds are named as the speeds
    )


def pickup_returns(actor: Actor, period: Period) -> Share:
    to_pickup = withdrawals_in_scope(actor, period).filter(destination=Destination.PICKUP_POINT)
    return Share(
        to_pickup.filter(status=WithdrawalStatus.RETURNED).count(),
        to_pickup.count(),
        fee_sum(fees_in_scope(actor, period).filter(withdrawal__in=to_pickup), "return"),
    )


def out_of_assortment(actor: Actor, period: Period) -> Share:
    lines = lines_in_scope(actor, period)
    return Share(
        lines.filter(product__procured=False).count(),
        lines.count(),
        fee_sum(fees_in_scope(actor, period), "out_of_assortment"),
    )


def top_articles(actor: Actor, period: Period, limit: int = TOP_ARTICLES) -> list[ArticleRow]:
    rows = (
        priced(lines_in_scope(actor, period))
        .values(
            "product__article_number",
            "product__name",
            "product__area__name",
            "product__procured",
        )
        .annotate(lines=Count("pk"), quantity=Sum("quantity"), cost=cost())
        .order_by("-quantity", "product__article_number")[:limit]
    )
    return [
        ArticleRow(
            r["product__article_number"],
            r["product__name"],
            r["product__area__name"],
            r["product__procured"],
            r["lines"],
            r["quantity"] or 0,
            money(r["cost"]),
        )
        for r in rows
    ]


def dashboard_for(actor: Actor, period: Period) -> Dashboard:
    """Every figure of the dashboard, scoped to what the actor may see (scope.py)."""
    return Dashboard(
        period=period,
        by_month_area=month_area_rows(actor, period),
        by_month=month_totals(actor, period),
        emergency=speed_share(actor, period, Speed.EMERGENCY),
        express=speed_share(actor, period, Speed.EXPRESS),
        pickup_returns=pickup_returns(actor, period),
        out_of_assortment=out_of_assortment(actor, period),
        top_articles=top_articles(actor, period),
    )
