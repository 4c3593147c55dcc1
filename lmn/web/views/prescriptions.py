"""Registering a new prescription: catalogue search, product choice, consumption."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lmn.catalog.queries import search_products
from lmn.core import clock
from lmn.core.errors import DomainError, PermissionDenied
from lmn.patients.models import ASYLUM_UNIT_KINDS
from lmn.prescriptions.services import (
    ADULT_AGE,
    PrescriptionDraft,
    age_on,
    create_prescription,
)

from ..errors import apply_problems, summary
from ..forms import PrescriptionForm, ProductSearchForm
from .common import actor_of, forbidden, is_htmx, page_title, visible_patient

RESULT_LIMIT = 25
FIELD_MAP = {
    "article_number": "product",
    "consumption.amount": "consumption_amount",
    "consumption.per": "consumption_period",
    "patient_id": None,
    "unit": None,
    "lma_valid_until": None,
}


@require_http_methods(["GET", "POST"])
def new_prescription(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = visible_patient(request, patient_id)
    actor = actor_of(request)
    if not actor.may_prescribe:
        return forbidden(request, "Din roll får inte förskriva.")
    data = request.POST if request.method == "POST" else request.GET
    search = ProductSearchForm(data)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    allowed = search_products(areas=actor.areas)
    form = PrescriptionForm(request.POST if request.method == "POST" else None, products=allowed)
    # ASYL-2, UT-1: the prescriber records that the care cannot wait, for adults
    asks_decision = patient.identity_kind in ASYLUM_UNIT_KINDS and (
        age_on(patient.birth_date, clock.today()) >= ADULT_AGE
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            prescription = create_prescription(
                PrescriptionDraft(
                    patient=patient,
                    product=c["product"],
                    consumption_amount=c["consumption_amount"],
                    consumption_period=c["consumption_period"],
                    valid_from=c["valid_from"],
                    valid_until=c["valid_until"],
                    max_supply_days=c["max_supply_days"],
                    instructions=c["instructions"],
                    care_cannot_wait=c["care_cannot_wait"] if asks_decision else None,
                ),
                actor=actor,
            )
        except PermissionDenied as denied:
            return forbidden(request, denied.message)
        except DomainError as error:
            apply_problems(error, form, FIELD_MAP)
        else:
            messages.success(request, prescription.reference, extra_tags="prescription")
            return redirect("web:patient", patient_id=patient.pk)

    matches = search_products(q, areas=actor.areas)
    results = list(matches[: RESULT_LIMIT + 1])
    selected = form["product"].value() if form.is_bound else None
    context = {
        "patient": patient,
        "search": search,
        "form": form,
        "q": q,
        "results": results[:RESULT_LIMIT],
        "more": len(results) > RESULT_LIMIT,
        "selected": selected,
        "asks_decision": asks_decision,
        "error_items": summary(form),
        "title": page_title("Ny förskrivning", form),
    }
    if is_htmx(request) and request.method == "GET":
        return render(request, "web/prescription_new.html#results", context)
    return render(request, "web/prescription_new.html", context)
