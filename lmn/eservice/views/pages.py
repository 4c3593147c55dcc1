"""My products, my orders and one order's timeline (read pages; the reads are audited)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.delivery.models import PickupPoint
from lmn.withdrawals.changes import cancel_withdrawal, may_change
from lmn.withdrawals.queries import get_withdrawal, withdrawals_visible_to
from lmn.withdrawals.states import WithdrawalStatus
from lmn.withdrawals.timeline import timeline

from ..acting import CHANNEL
from ..products import my_products


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.eservice  # type: ignore[attr-defined]
    return actor


def products(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "eservice/products.html",
        {"items": my_products(actor=actor), "may_order": actor.may_order},
    )


def orders(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = list(
        withdrawals_visible_to(actor)
        .filter(patient=actor.acting_for)
        .prefetch_related("lines__product")
        .order_by("-placed_at")[:50]
    )
    record("eservice.orders.read", actor=actor, patient=actor.acting_for, channel=CHANNEL)
    return render(request, "eservice/orders.html", {"orders": rows})


def order(request: HttpRequest, number: str) -> HttpResponse:
    actor = _actor(request)
    withdrawal = get_withdrawal(number, actor=actor, channel=CHANNEL)
    point = (
        PickupPoint.objects.filter(code=withdrawal.pickup_point_id).first()
        if withdrawal.pickup_point_id
        else None
    )
    return render(
        request,
        "eservice/order.html",
        {
            "order": withdrawal,
            "lines": withdrawal.lines.select_related("product").order_by("pk"),
            "steps": timeline(withdrawal),
            "point": point,
            "may_cancel": withdrawal.status == WithdrawalStatus.PLACED
            and may_change(withdrawal, actor),
        },
    )


@require_POST
def cancel(request: HttpRequest, number: str) -> HttpResponse:
    """Cancel before the distributor picks it (lmn.withdrawals.changes decides)."""
    actor = _actor(request)
    withdrawal = get_withdrawal(number, actor=actor, channel=CHANNEL, audit_read=False)
    try:
        cancel_withdrawal(withdrawal, actor=actor)
    except DomainError as refused:
        return render(
            request,
            "eservice/order.html",
            {
                "order": withdrawal,
                "lines": withdrawal.lines.select_related("product").order_by("pk"),
                "steps": timeline(withdrawal),
                "problem": refused.problems[0].message,
            },
            status=422,
        )
    request.session["eservice_notice"] = _("Beställningen är makulerad.")
    return HttpResponseRedirect(reverse("eservice:order", args=[withdrawal.number]))
