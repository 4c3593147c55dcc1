"""Dashboards and statistics (issue 12): the head of unit's and the payer's dashboard
with drill-down, LMN administration's statistics, and CSV of each. Thin: the figures
are lmn.reporting's queries; this parses the period, draws the charts and renders."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lmn.core import clock
from lmn.delivery.details import Destination, Speed
from lmn.reporting.queries.dashboard import Dashboard, MonthTotal, dashboard_for
from lmn.reporting.queries.drilldown import Figure, withdrawals_behind
from lmn.reporting.queries.scope import MONTHS_SHOWN, Period
from lmn.reporting.queries.statistics import Statistics, statistics_for
from lmn.withdrawals.states import WithdrawalStatus

from ..charts import Chart, bar_chart
from .common import actor_of

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MONTH_CHOICES = 24  # how far back the period's last month can be chosen


def parse_month(raw: str | None) -> dt.date | None:
    """ "2026-04" -> 1 April 2026; anything else None (the page shows its default)."""
    match = _MONTH.match(raw or "")
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return dt.date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def month_text(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def period_of(request: HttpRequest) -> Period:
    """The twelve months ending with ?till=YYYY-MM, by default with this month."""
    this_month = clock.today().replace(day=1)
    last = parse_month(request.GET.get("till")) or this_month
    return Period.ending(min(last, this_month), MONTHS_SHOWN)


def month_options(period: Period) -> list[tuple[str, bool]]:
    this_month = clock.today().replace(day=1)
    months = [clock.add_months(this_month, -n) for n in range(MONTH_CHOICES)]
    return [(month_text(m), m == period.last) for m in months]


def csv_response(name: str, header: list[str], rows: Iterable[Iterable[object]]) -> HttpResponse:
    """A CSV Excel opens as Swedish text: semicolons, decimal commas, UTF-8 with BOM."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([str(v).replace(".", ",") if not isinstance(v, str) else v for v in row])
    return response


def cost_chart(months: list[MonthTotal]) -> Chart:
    return bar_chart(
        "chart-cost",
        _("Kostnad per månad, kronor utan moms"),
        [(month_text(m.month), m.total) for m in months],
    )


# --- the head of unit's and the payer's dashboard ----------------------------------


def _dashboard_csv(board: Dashboard) -> HttpResponse:
    rows = [
        (month_text(r.month), r.area_name, r.lines, r.quantity, r.cost) for r in board.by_month_area
    ]
    return csv_response(
        f"uppfoljning-{month_text(board.period.first)}-{month_text(board.period.last)}.csv",
        [_("Månad"), _("Produktområde"), _("Uttagsrader"), _("Antal"), _("Kostnad exkl. moms")],
        rows,
    )


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    board = dashboard_for(actor_of(request), period_of(request))
    if request.GET.get("format") == "csv":
        return _dashboard_csv(board)
    shares = [
        (_("Akut"), board.emergency.percent or 0),
        (_("Express"), board.express.percent or 0),
        (_("Returer"), board.pickup_returns.percent or 0),
        (_("Utanför sortiment"), board.out_of_assortment.percent or 0),
    ]
    return render(
        request,
        "web/dashboard.html",
        {
            "title": _("Uppföljning"),
            "board": board,
            "till": month_text(board.period.last),
            "months": month_options(board.period),
            "cost_chart": cost_chart(board.by_month),
            "share_chart": bar_chart("chart-shares", _("Andelar i procent"), shares, suffix=" %"),
        },
    )


FIGURE_TITLES = {
    "month": gettext_lazy("Uttag under månaden"),
    "emergency": gettext_lazy("Uttag med akutleverans"),
    "express": gettext_lazy("Uttag med expressleverans"),
    "pickup_returns": gettext_lazy("Returer från utlämningsställen"),
    "out_of_assortment": gettext_lazy("Uttag med produkter utanför sortiment"),
    "article": gettext_lazy("Uttag av artikeln"),
}


def figure_of(request: HttpRequest) -> Figure:
    return Figure(
        name=request.GET.get("figure", ""),
        month=parse_month(request.GET.get("month")),
        area_code=request.GET.get("area", "")[:30],
        article_number=request.GET.get("article", "")[:20],
    )


@require_GET
def drilldown(request: HttpRequest) -> HttpResponse:
    """The withdrawals behind one figure of the dashboard (scoped and audited)."""
    period = period_of(request)
    figure = figure_of(request)
    drill = withdrawals_behind(actor_of(request), period, figure)
    statuses = dict(WithdrawalStatus.choices)
    rows = [
        {
            "withdrawal": r.withdrawal,
            "patient": r.patient,
            "speed": Speed.LABELS.get(r.withdrawal.speed, r.withdrawal.speed),
            "destination": Destination.LABELS.get(
                r.withdrawal.destination, r.withdrawal.destination
            ),
            "status": statuses.get(r.withdrawal.status, r.withdrawal.status),
        }
        for r in drill.rows
    ]
    title = str(FIGURE_TITLES[figure.name])
    if figure.month is not None:
        title += f" {month_text(figure.month)}"
    if figure.article_number:
        title += f" {figure.article_number}"
    return render(
        request,
        "web/drilldown.html",
        {
            "drill": drill,
            "rows": rows,
            "period": period,
            "till": month_text(period.last),
            "title": title,
        },
    )


# --- LMN administration's statistics ----------------------------------------------------


def _statistics_csv(stats: Statistics) -> HttpResponse:
    rows = [
        (month_text(v.month), v.unit_number, v.unit_name, v.area_name, v.lines, v.quantity, v.cost)
        for v in stats.volumes
    ]
    return csv_response(
        f"statistik-{month_text(stats.period.first)}-{month_text(stats.period.last)}.csv",
        [
            _("Månad"),
            _("Kundnummer"),
            _("Enhet"),
            _("Produktområde"),
            _("Uttagsrader"),
            _("Antal"),
            _("Kostnad exkl. moms"),
        ],
        rows,
    )


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    stats = statistics_for(actor_of(request), period_of(request))
    if request.GET.get("format") == "csv":
        return _statistics_csv(stats)
    worst = stats.emergency_by_unit[:10]
    return render(
        request,
        "web/statistics.html",
        {
            "title": _("Statistik"),
            "stats": stats,
            "till": month_text(stats.period.last),
            "months": month_options(stats.period),
            "volume_chart": bar_chart(
                "chart-volume",
                _("Uttag per månad"),
                [(month_text(m.month), m.withdrawals) for m in stats.by_month],
            ),
            "cost_chart": cost_chart(stats.by_month),
            "emergency_chart": bar_chart(
                "chart-emergency",
                _("Akutleveranser per enhet, flest först"),
                [(u.unit_number, u.emergency) for u in worst],
            ),
            "destination_chart": bar_chart(
                "chart-destination",
                _("Leveranssätt"),
                [(d.label, d.withdrawals) for d in stats.destinations],
            ),
            "promise_chart": bar_chart(
                "chart-promise",
                _("Utlovat leveransdatum hållet, procent per månad"),
                [(month_text(p.month), p.percent or 0) for p in stats.promises],
                suffix=" %",
            ),
        },
    )
