"""Cancelling a withdrawal, or changing its delivery details, until it is picked."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lmn.core.errors import DomainError
from lmn.delivery.details import Destination, NotifyBy
from lmn.delivery.policy import region_policy
from lmn.delivery.rules import destination_options
from lmn.withdrawals.changes import cancel_withdrawal, change_delivery, may_change
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.queries import get_withdrawal
from lmn.withdrawals.states import WithdrawalStatus

from ..errors import apply_problems, shown, summary
from ..forms.ordering import NOTIFY_LABELS, DeliveryChangeForm, initial_for
from ..ordering import pickup_results
from .common import actor_of, page_title

FIELD_MAP: dict[str, str | None] = {
    f"delivery.{n}": n for n in (*DeliveryChangeForm.base_fields, "multi_family")
}


def _withdrawal(request: HttpRequest, number: str) -> Withdrawal:
    return get_withdrawal(number, actor=actor_of(request), channel="web")


def why_not(withdrawal: Withdrawal, request: HttpRequest) -> str:
    """Why this actor cannot cancel or change it now, in plain words ("" if they can)."""
    if withdrawal.status == WithdrawalStatus.CANCELLED:
        return _("Uttaget är makulerat.")
    if withdrawal.status != WithdrawalStatus.PLACED:
        return _(
            "Uttaget är redan plockat hos distributören och kan inte längre makuleras eller "
            "ändras. Kontakta kundtjänst om leveransen behöver stoppas."
        )
    if not may_change(withdrawal, actor_of(request)):
        return _(
            "Bara den beställande eller förskrivande enheten och kundtjänst kan makulera "
            "eller ändra uttaget."
        )
    return ""


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, number: str) -> HttpResponse:
    withdrawal = _withdrawal(request, number)
    refusal = why_not(withdrawal, request)
    if request.method == "POST" and not refusal:
        try:
            cancel_withdrawal(withdrawal, actor=actor_of(request))
        except DomainError as error:
            refusal = shown(error.problems[0].message)
        else:
            messages.success(
                request, _("Uttaget %(number)s är makulerat.") % {"number": withdrawal.number}
            )
            return redirect("web:withdrawal", number=withdrawal.number)
    return render(
        request,
        "web/withdrawal_cancel.html",
        {
            "withdrawal": withdrawal,
            "refusal": refusal,
            "title": _("Makulera %(number)s") % {"number": withdrawal.number},
        },
    )


@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, number: str) -> HttpResponse:
    withdrawal = _withdrawal(request, number)
    refusal = why_not(withdrawal, request)
    if not refusal and withdrawal.joint_order_id is not None:
        refusal = _(
            "Uttaget ingår i en sambeställning och levereras med den till avdelningen. "
            "Leveransuppgifterna kan inte ändras för ett enskilt uttag."
        )
    destinations = destination_options(protected=withdrawal.patient.protected)
    post = request.POST if request.method == "POST" and not refusal else None
    form = DeliveryChangeForm(
        post, speeds=[withdrawal.speed], destinations=destinations, initial=initial_for(withdrawal)
    )
    searching = post is not None and post.get("action") == "search_pickup"
    if post is not None and not searching and form.is_valid():
        try:
            _w, changed = change_delivery(
                withdrawal, form.request(withdrawal.patient), actor=actor_of(request)
            )
        except DomainError as error:
            apply_problems(error, form, FIELD_MAP)
        else:
            text = _("Leveransuppgifterna är ändrade.") if changed else _("Inget ändrades.")
            messages.success(request, text)
            return redirect("web:withdrawal", number=withdrawal.number)
    return _change_page(request, withdrawal, form, refusal, destinations)


def _change_page(
    request: HttpRequest,
    withdrawal: Withdrawal,
    form: DeliveryChangeForm,
    refusal: str,
    destinations: tuple[str, ...],
) -> HttpResponse:
    q = str(form["pickup_q"].value() or "")
    selected = str(form["pickup_point_id"].value() or "")
    points, selected_point = pickup_results(q, selected)
    policy = region_policy()
    hints = {
        Destination.DOOR: _("Till dörren, eller ställs utanför om det får ske."),
        Destination.PICKUP_POINT: _("Hämtas inom %(days)s dagar med legitimation.")
        % {"days": policy.pickup_days},
        Destination.UNIT: _("Till den förskrivande enheten, c/o den som ansvarar där."),
    }
    return render(
        request,
        "web/withdrawal_change.html",
        {
            "withdrawal": withdrawal,
            "patient": withdrawal.patient,
            "delivery": form,
            "refusal": refusal,
            "destination_options": [(d, Destination.LABELS[d], hints[d]) for d in destinations],
            "current_destination": form["destination"].value() or destinations[0],
            "notify_options": [(n, NOTIFY_LABELS[n], "") for n in NotifyBy.ALL],
            "current_notify": form["notify_by"].value() or "",
            "pickup_q": q,
            "points": points,
            "selected_point": selected_point,
            "error_items": summary(form),
            "title": page_title(
                _("Ändra leverans %(number)s") % {"number": withdrawal.number}, form
            ),
        },
    )
