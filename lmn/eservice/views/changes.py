"""Changing where an order goes, before the distributor picks it (lmn.withdrawals.changes
decides, as for staff)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lmn.core.errors import DomainError
from lmn.withdrawals.changes import change_delivery, may_change
from lmn.withdrawals.queries import get_withdrawal
from lmn.withdrawals.states import WithdrawalStatus

from ..acting import CHANNEL
from ..forms import DeliveryForm
from .ordering import _apply, delivery_of
from .pages import _actor


def change(request: HttpRequest, number: str) -> HttpResponse:
    actor = _actor(request)
    withdrawal = get_withdrawal(number, actor=actor, channel=CHANNEL)
    initial = {
        "destination": withdrawal.destination,
        "pickup_point": withdrawal.pickup_point_id,
        "door_code": withdrawal.door_code,
        "phone": withdrawal.phone,
        "email": withdrawal.email,
        "notify_by": withdrawal.notify_by or "sms",
    }
    form = DeliveryForm(request.POST if request.method == "POST" else None, initial=initial)
    open_ = withdrawal.status == WithdrawalStatus.PLACED and may_change(withdrawal, actor)
    if request.method == "POST" and form.is_valid():
        try:
            change_delivery(withdrawal, delivery_of(form), actor=actor)
        except DomainError as refused:
            _apply(refused, form, None)
        else:
            request.session["eservice_notice"] = _("Leveransuppgifterna är ändrade.")
            return HttpResponseRedirect(reverse("eservice:order", args=[withdrawal.number]))
    return render(
        request, "eservice/order_change.html", {"order": withdrawal, "form": form, "open": open_}
    )
