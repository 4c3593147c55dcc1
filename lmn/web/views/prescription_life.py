"""A prescription's page and its life: history, change, renew, end, move (RX-1..RX-4).

Thin adapters: read (audited), parse the form, call one service, render; a refusal's
problems go onto the form's fields, a stale version is shown with the new one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lmn.core.errors import DomainError
from lmn.prescriptions.lifecycle import (
    STALE,
    PrescriptionChange,
    change_prescription,
    renew_prescription,
    renewable,
)
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.moves import receiving_unit, request_move
from lmn.prescriptions.queries import get_prescription
from lmn.prescriptions.states import MoveStatus, PrescriptionStatus
from lmn.withdrawals.ending import end_with_withdrawals, open_withdrawals_of
from lmn.withdrawals.queries import entitlement_for

from ..errors import apply_problems, summary
from ..forms.prescription_life import KEEP, STOP, ChangeForm, EndForm, MoveForm, RenewForm
from .common import actor_of, page_title

CHANGE_FIELDS = {
    "consumption.amount": "consumption_amount",
    "consumption.per": "consumption_period",
}


def _read(request: HttpRequest, prescription_id: int) -> Prescription:
    return get_prescription(prescription_id, actor=actor_of(request))


def _may_act(request: HttpRequest, p: Prescription) -> bool:
    actor = actor_of(request)
    return (
        actor.may_prescribe
        and actor.unit is not None
        and p.unit_id == actor.unit.pk
        and p.status == PrescriptionStatus.ACTIVE
        and actor.may_prescribe_in(p.product.area.code)
    )


@require_GET
def prescription_detail(request: HttpRequest, prescription_id: int) -> HttpResponse:
    """The prescription with every version (who, when, what) and its actions."""
    p = _read(request, prescription_id)
    return render(
        request,
        "web/prescription.html",
        {
            "p": p,
            "entitlement": entitlement_for(p),
            "versions": p.versions.select_related("changed_by", "unit").order_by("-number"),
            "pending_move": p.moves.filter(status=MoveStatus.PENDING)
            .select_related("to_unit")
            .first(),
            "may_act": _may_act(request, p),
            "renewable": renewable(p),
            "replaced_by": getattr(p, "replaced_by", None),
            "title": _("Förskrivning %(reference)s") % {"reference": p.reference},
        },
    )


def _stale_or_apply(
    request: HttpRequest, error: DomainError, form: Any, p: Prescription
) -> Prescription:
    """A stale version: say so and show the new one (the form now builds on it)."""
    if error.code == STALE:
        current = Prescription.objects.select_related("product__area", "unit", "patient").get(
            pk=p.pk
        )
        data = form.data.copy()
        data["version"] = str(current.version)
        form.data = data
        form.add_error(None, error.problems[0].message)
        return current
    apply_problems(error, form, CHANGE_FIELDS)
    return p


def _page(
    request: HttpRequest, template: str, p: Prescription, form: Any, title: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "p": p,
            "form": form,
            "error_items": summary(form),
            "title": page_title(title, form),
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, prescription_id: int) -> HttpResponse:
    p = _read(request, prescription_id)
    initial = {
        "version": p.version,
        "consumption_amount": p.consumption_amount,
        "consumption_period": p.consumption_period,
        "valid_until": p.valid_until,
        "max_supply_days": p.max_supply_days,
        "instructions": p.instructions,
    }
    form = ChangeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            change_prescription(
                p,
                PrescriptionChange(
                    based_on_version=c["version"],
                    consumption_amount=c["consumption_amount"],
                    consumption_period=c["consumption_period"],
                    valid_until=c["valid_until"],
                    max_supply_days=c["max_supply_days"],
                    instructions=c["instructions"] or "",
                ),
                actor=actor_of(request),
            )
        except DomainError as error:
            p = _stale_or_apply(request, error, form, p)
        else:
            messages.success(request, _("Förskrivningen är ändrad."))
            return redirect("web:prescription", prescription_id=p.pk)
    return _page(request, "web/prescription_change.html", p, form, _("Ändra förskrivning"))


@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest, prescription_id: int) -> HttpResponse:
    p = _read(request, prescription_id)
    form = RenewForm(
        request.POST if request.method == "POST" else None, initial={"version": p.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            renew_prescription(
                p,
                based_on_version=form.cleaned_data["version"],
                valid_until=form.cleaned_data["valid_until"],
                actor=actor_of(request),
            )
        except DomainError as error:
            p = _stale_or_apply(request, error, form, p)
        else:
            messages.success(request, _("Förskrivningen är förnyad."))
            if request.POST.get("next") == "worklist":
                return redirect("web:worklist")
            return redirect("web:prescription", prescription_id=p.pk)
    return _page(
        request,
        "web/prescription_renew.html",
        p,
        form,
        _("Förnya förskrivning"),
        renewable=renewable(p),
    )


def _end_options(form: EndForm) -> dict[str, Any]:
    return {
        "reason_options": [(v, label, "") for v, label in form.fields["reason"].choices],  # type: ignore[attr-defined]
        "stop_options": [(v, label, "") for v, label in form.fields["stop_open"].choices],  # type: ignore[attr-defined]
        "current_reason": form["reason"].value(),
        "current_stop": form["stop_open"].value(),
    }


@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, prescription_id: int) -> HttpResponse:
    p = _read(request, prescription_id)
    form = EndForm(
        request.POST if request.method == "POST" else None, initial={"version": p.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = end_with_withdrawals(
                p,
                reason=form.cleaned_data["reason"],
                stop_open=form.cleaned_data["stop_open"] == STOP,
                based_on_version=form.cleaned_data["version"],
                actor=actor_of(request),
            )
        except DomainError as error:
            p = _stale_or_apply(request, error, form, p)
        else:
            messages.success(request, _("Förskrivningen är avslutad."))
            if result.stopped:
                messages.info(
                    request,
                    _("Stoppade uttag: %(numbers)s") % {"numbers": ", ".join(result.stopped)},
                )
            return redirect("web:prescription", prescription_id=p.pk)
    open_ones = [w.number for w in open_withdrawals_of(p)]
    return _page(
        request, "web/prescription_end.html", p, form, _("Avsluta förskrivning"),
        open_withdrawals=open_ones, keep=KEEP, **_end_options(form),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, prescription_id: int) -> HttpResponse:
    p = _read(request, prescription_id)
    form = MoveForm(
        request.POST if request.method == "POST" else None, initial={"version": p.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            request_move(
                p,
                to_unit=receiving_unit(form.cleaned_data["to_unit"]),
                message=form.cleaned_data["message"] or "",
                based_on_version=form.cleaned_data["version"],
                actor=actor_of(request),
            )
        except DomainError as error:
            p = _stale_or_apply(request, error, form, p)
        else:
            messages.success(
                request, _("Flytten väntar nu på att den mottagande enheten tar emot den.")
            )
            return redirect("web:prescription", prescription_id=p.pk)
    return _page(request, "web/prescription_move.html", p, form, _("Flytta till annan enhet"))
