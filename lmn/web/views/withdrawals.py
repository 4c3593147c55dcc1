"""Placing a withdrawal and showing one."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from lmn.audit.services import record
from lmn.core.errors import DomainError, PermissionDenied
from lmn.delivery.details import DeliveryRequest
from lmn.prescriptions.queries import prescriptions_of
from lmn.withdrawals.queries import entitlements_for, withdrawals_visible_to
from lmn.withdrawals.services import (
    IdempotencyConflict,
    LineDraft,
    WithdrawalDraft,
    place_withdrawal,
)

from ..errors import apply_problems, summary
from ..forms import DeliveryForm, QuantitiesForm, quantity_field_name
from .common import actor_of, forbidden, page_title, visible_patient

DELIVERY_FIELDS = (
    "street",
    "postcode",
    "city",
    "care_of",
    "door_code",
    "entry_phone",
    "name_on_door",
    "phone",
    "email",
)
CONFLICT = (
    "Beställningen har redan skickats med andra uppgifter. Kontrollera uppgifterna och skicka igen."
)


@require_http_methods(["GET", "POST"])
def new_withdrawal(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = visible_patient(request, patient_id)
    actor = actor_of(request)
    if not actor.may_order:
        return forbidden(request, "Din roll får inte göra uttag.")
    prescriptions = list(prescriptions_of(patient, orderable_only=True))
    entitlements = entitlements_for(prescriptions)
    post = request.POST if request.method == "POST" else None
    quantities = QuantitiesForm(post, prescriptions=prescriptions)
    delivery = DeliveryForm(
        post,
        initial={
            "street": patient.street,
            "postcode": patient.postcode,
            "city": patient.city,
            "idempotency_key": uuid.uuid4(),
        },
    )
    if post is not None and quantities.is_valid() and delivery.is_valid():
        lines = [LineDraft(prescription_id=pid, quantity=q) for pid, q in quantities.lines()]
        d = delivery.cleaned_data
        draft = WithdrawalDraft(
            patient=patient,
            lines=lines,
            delivery=DeliveryRequest(**{name: d[name] for name in DELIVERY_FIELDS}),
        )
        try:
            withdrawal, _created = place_withdrawal(
                draft, actor=actor, idempotency_key=str(d["idempotency_key"])
            )
        except PermissionDenied as denied:
            return forbidden(request, denied.message)
        except IdempotencyConflict:
            fresh = post.copy()
            fresh["idempotency_key"] = str(uuid.uuid4())
            delivery = DeliveryForm(fresh)
            delivery.is_valid()
            delivery.add_error(None, CONFLICT)
        except DomainError as error:
            _apply(error, lines, quantities, delivery)
        else:
            messages.success(request, withdrawal.number, extra_tags="withdrawal")
            return redirect("web:withdrawal", number=withdrawal.number)

    rows = [(p, entitlements[p.pk], quantities[quantity_field_name(p.pk)]) for p in prescriptions]
    return render(
        request,
        "web/withdrawal_new.html",
        {
            "patient": patient,
            "rows": rows,
            "quantities": quantities,
            "delivery": delivery,
            "error_items": summary(quantities, delivery),
            "title": page_title("Nytt uttag", quantities, delivery),
        },
    )


def _apply(
    error: DomainError, lines: list[LineDraft], quantities: QuantitiesForm, delivery: DeliveryForm
) -> None:
    """Problems about lines go on the quantity fields, delivery problems on the delivery form."""
    line_map: dict[str, str | None] = {
        # "choose at least one product" points at the first quantity field
        "lines": next(iter(quantities.fields), None)
    }
    for i, line in enumerate(lines):
        name = quantity_field_name(line.prescription_id)
        line_map[f"lines[{i}].quantity"] = name
        line_map[f"lines[{i}].prescription_id"] = name
    line_problems = [p for p in error.problems if not (p.field or "").startswith("delivery.")]
    delivery_problems = [p for p in error.problems if (p.field or "").startswith("delivery.")]
    if line_problems:
        apply_problems(DomainError(*line_problems), quantities, line_map)
    if delivery_problems:
        delivery_map: dict[str, str | None] = {f"delivery.{n}": n for n in DELIVERY_FIELDS}
        apply_problems(DomainError(*delivery_problems), delivery, delivery_map)


@require_GET
def withdrawal_detail(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_of(request)
    withdrawal = (
        withdrawals_visible_to(actor)
        .select_related("patient", "ordering_unit", "ordered_by")
        .prefetch_related("lines__product")
        .filter(number=number.upper())
        .first()
    )
    if withdrawal is None:
        raise Http404("Uttaget hittades inte.")
    record(
        "withdrawals.withdrawal.read",
        actor=actor,
        patient=withdrawal.patient,
        obj=withdrawal,
        channel="web",
    )
    return render(
        request,
        "web/withdrawal.html",
        {"withdrawal": withdrawal, "title": f"Uttag {withdrawal.number}"},
    )
