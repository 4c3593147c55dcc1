"""Ordering in the e-service through the same withdrawal services as staff (GEN-4,
EPAT-1): the promised date and fees are shown before the order is placed, and placing is
idempotent (the form carries one key, so a double submit places one order)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest, Destination, Speed
from lmn.delivery.preferences import SavedDelivery, save_delivery, saved_delivery
from lmn.patients.models import Patient
from lmn.withdrawals.services import (
    IdempotencyConflict,
    LineDraft,
    WithdrawalDraft,
    place_withdrawal,
    preview_withdrawal,
)

from ..forms import DeliveryForm, OrderForm
from ..products import my_products
from .pages import _actor

_FIELDS = {
    "delivery.destination": "destination",
    "delivery.pickup_point_id": "pickup_point",
    "delivery.door_code": "door_code",
    "delivery.phone": "phone",
    "delivery.email": "email",
    "delivery.notify_by": "notify_by",
}


def _form(request: HttpRequest, actor: Actor, data: Any = None) -> OrderForm:
    lines = [
        (item.prescription.pk, item.prescription.product.name, item.orderable_now)
        for item in my_products(actor=actor)
        if item.entitlement.reason not in ("prescription_expired", "prescription_ended")
    ]
    saved = saved_delivery(actor.acting_for)
    initial = {
        "destination": saved.destination,
        "pickup_point": saved.pickup_point_code,
        "door_code": saved.door_code,
        "phone": saved.phone,
        "notify_by": saved.notify_by or "sms",
        "save_details": True,
        "key": uuid.uuid4().hex,
    }
    return OrderForm(data, initial=initial, lines=lines)


def delivery_of(form: DeliveryForm) -> DeliveryRequest:
    """Standard delivery to the door or a pickup point, as the form gives it (EPAT-1)."""
    d = form.cleaned_data
    point = d["pickup_point"] if d["destination"] == Destination.PICKUP_POINT else ""
    return DeliveryRequest(
        destination=d["destination"],
        speed=Speed.STANDARD,
        door_code=d["door_code"] if d["destination"] == Destination.DOOR else "",
        phone=d["phone"],
        email=d["email"],
        notify_by=d["notify_by"],
        pickup_point_id=point,
    )


def _draft(form: OrderForm, patient: Patient) -> WithdrawalDraft:
    lines = [LineDraft(pk, qty) for pk, qty in form.quantities().items() if qty > 0]
    return WithdrawalDraft(patient=patient, lines=lines, delivery=delivery_of(form))


def _apply(error: DomainError, form: DeliveryForm, draft: WithdrawalDraft | None) -> None:
    fields = dict(_FIELDS)
    for i, line in enumerate(draft.lines if draft is not None else []):
        fields[f"lines[{i}].quantity"] = f"qty_{line.prescription_id}"
        fields[f"lines[{i}].prescription_id"] = f"qty_{line.prescription_id}"
    for problem in error.problems:
        target = fields.get(problem.field or "")
        form.add_error(target if target in form.fields else None, problem.message)


def order_new(request: HttpRequest) -> HttpResponse:
    """GET the form; POST "preview" shows the promise and fees, POST "confirm" places."""
    actor = _actor(request)
    patient = actor.acting_for
    form = _form(request, actor, request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form, status=200)
    draft = _draft(form, patient)
    try:
        if request.POST.get("step") != "confirm":
            plan = preview_withdrawal(draft, actor=actor)
            return render(
                request,
                "eservice/order_confirm.html",
                {"form": form, "plan": plan, "draft": draft, "names": _names(form, draft)},
            )
        withdrawal, _created = place_withdrawal(
            draft, actor=actor, idempotency_key=form.cleaned_data["key"]
        )
    except DomainError as refused:
        _apply(refused, form, draft)
        return _page(request, form, status=200)
    except IdempotencyConflict:
        form.add_error(None, _("Beställningen har redan skickats. Se Mina beställningar."))
        return _page(request, form, status=409)
    if form.cleaned_data["save_details"]:
        d = draft.delivery
        save_delivery(
            patient,
            SavedDelivery(d.destination, d.pickup_point_id, d.door_code, d.phone, d.notify_by),
            actor=actor,
        )
    request.session["eservice_notice"] = _("Tack! Din beställning är skickad.")
    return HttpResponseRedirect(reverse("eservice:order", args=[withdrawal.number]))


def _names(form: OrderForm, draft: WithdrawalDraft) -> list[tuple[str, int]]:
    labels = dict(form.line_names)
    return [(labels.get(f"qty_{ln.prescription_id}", ""), ln.quantity) for ln in draft.lines]


def _page(request: HttpRequest, form: OrderForm, *, status: int) -> HttpResponse:
    if not form.orderable and request.method != "POST":
        return render(request, "eservice/order_none.html")
    return render(request, "eservice/order_form.html", {"form": form}, status=status)
