"""Registering a new prescription: catalogue search, product choice, consumption."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lmn.catalog.queries import search_products
from lmn.core import clock
from lmn.core.errors import DomainError
from lmn.patients.models import ASYLUM_UNIT_KINDS, Patient
from lmn.prescriptions.models import PrescriptionTemplate
from lmn.prescriptions.services import (
    ADULT_AGE,
    PrescriptionDraft,
    age_on,
    create_prescription,
    prescription_problems,
)
from lmn.prescriptions.templates import templates_for

from ..errors import apply_problems, summary
from ..forms.prescriptions import PrescriptionForm, ProductSearchForm
from .common import actor_of, is_htmx, page_title, visible_patient
from .news import latest_news

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
    data = request.POST if request.method == "POST" else request.GET
    search = ProductSearchForm(data)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    allowed = search_products(areas=actor.areas)
    favourite = _favourite(request)  # a favourite chosen: product and consumption filled in
    if favourite is not None and not q:
        q = favourite.product.article_number
    form = PrescriptionForm(
        request.POST if request.method == "POST" else None,
        products=allowed,
        initial=_favourite_initial(favourite),
    )
    # ASYL-2, UT-1: the prescriber records that the care cannot wait, for adults
    asks_decision = patient.identity_kind in ASYLUM_UNIT_KINDS and (
        age_on(patient.birth_date, clock.today()) >= ADULT_AGE
    )
    if request.method == "POST" and form.is_valid():
        try:
            prescription = create_prescription(
                _draft(patient, form.cleaned_data, asks_decision), actor=actor
            )
        except DomainError as error:
            apply_problems(error, form, FIELD_MAP)
        else:
            messages.success(request, prescription.reference, extra_tags="prescription")
            return redirect("web:patient", patient_id=patient.pk)
    elif request.method == "POST" and form.cleaned_data.get("product") is not None:
        # the form has errors: the rules' problems with what did parse go beside them
        draft = _draft(patient, form.cleaned_data, asks_decision)
        problems = prescription_problems(draft, actor=actor)
        if problems:
            apply_problems(DomainError(*problems), form, FIELD_MAP)

    matches = search_products(q, areas=actor.areas)
    results = list(matches[: RESULT_LIMIT + 1])
    selected = form["product"].value() if form.is_bound else form.initial.get("product")
    context = {
        "patient": patient,
        "search": search,
        "form": form,
        "q": q,
        "results": results[:RESULT_LIMIT],
        "more": len(results) > RESULT_LIMIT,
        "selected": selected,
        "asks_decision": asks_decision,
        "favourites": templates_for(actor),
        "error_items": summary(form),
        "title": page_title(_("Ny förskrivning"), form),
        **latest_news(actor),  # GEN-6: the assortment news beside the catalogue
    }
    if is_htmx(request) and request.method == "GET":
        return render(request, "web/prescription_new.html#results", context)
    return render(request, "web/prescription_new.html", context)


def _favourite(request: HttpRequest) -> PrescriptionTemplate | None:
    raw = request.GET.get("favorit", "")
    if request.method != "GET" or not raw.isdigit():
        return None
    # an unknown or someone else's favourite just fills in nothing
    return templates_for(actor_of(request)).filter(pk=int(raw)).first()


def _favourite_initial(t: PrescriptionTemplate | None) -> dict[str, Any]:
    if t is None:
        return {}
    return {
        "product": t.product.article_number,
        "consumption_amount": t.consumption_amount,
        "consumption_period": t.consumption_period,
        "instructions": t.instructions,
    }


def _draft(patient: Patient, c: dict[str, Any], asks_decision: bool) -> PrescriptionDraft:
    """The draft from the form's values; a value that did not parse is left to its default
    (or a harmless 1, "day"), so the rules say nothing about it twice."""
    return PrescriptionDraft(
        patient=patient,
        product=c["product"],
        consumption_amount=c.get("consumption_amount") or 1,
        consumption_period=c.get("consumption_period") or "day",
        valid_from=c.get("valid_from"),
        valid_until=c.get("valid_until"),
        max_supply_days=c.get("max_supply_days"),
        instructions=c.get("instructions") or "",
        care_cannot_wait=c.get("care_cannot_wait") if asks_decision else None,
    )
