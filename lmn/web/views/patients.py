"""Finding a patient and the patient overview."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from lmn.core import clock
from lmn.core.actor import Role
from lmn.core.errors import DomainError
from lmn.patients.identifiers import looks_like_lma
from lmn.patients.services import find_patient_by_identifier, search_by_name_and_birth_date
from lmn.prescriptions.lifecycle import RENEW_WITHIN_DAYS
from lmn.prescriptions.queries import prescriptions_of
from lmn.reminders.queries import last_reminder_of, reminder_setting_of
from lmn.vouchers.queries import voucher_state_of
from lmn.withdrawals.elsewhere import records_elsewhere
from lmn.withdrawals.protected import (
    looks_like_customer_number,
    protected_rows,
    protected_withdrawals_of_unit,
)
from lmn.withdrawals.queries import entitlements_for, latest_withdrawals_of

from ..errors import apply_problems, summary
from ..forms.patients import AdvancedSearchForm, PatientSearchForm
from .common import actor_of, page_title, visible_patient
from .news import latest_news

NOT_FOUND = gettext_lazy("Ingen patient hittades med det numret.")


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    if actor_of(request).role == Role.DISTRIBUTOR:  # the distributor's start is the queue
        return redirect("web:distributor")
    if actor_of(request).role == Role.PAYER:  # the payer's contact follows up costs only
        return redirect("web:dashboard")
    # POST, not GET: a personnummer must never end up in a URL or an access log
    form = PatientSearchForm(request.POST if request.method == "POST" else None)
    not_found = False
    unit_rows = None
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["identifier"]
        try:
            if looks_like_customer_number(raw):
                # SKYDD-9: the unit's own customer number lists its protected withdrawals
                unit_rows = protected_rows(
                    protected_withdrawals_of_unit(raw, actor=actor_of(request))
                )
                patient = None
            else:  # a personnummer, or an LMA number (ASYL-6)
                patient = find_patient_by_identifier(raw, actor=actor_of(request))
        except DomainError as error:
            apply_problems(error, form, {"identifier": "identifier"})
        else:
            if patient is not None:
                return redirect("web:patient", patient_id=patient.pk)
            not_found = unit_rows is None
    return render(
        request,
        "web/home.html",
        {
            "form": form,
            "not_found": not_found,
            "not_found_message": NOT_FOUND,
            # an unknown LMA number: the asylum case registers the person (ASYL-5)
            "lma_not_found": form.cleaned_data.get("identifier", "").strip()
            if not_found and looks_like_lma(form.cleaned_data.get("identifier", "").strip())
            else "",
            "may_prescribe": actor_of(request).may_prescribe,
            "unit_rows": unit_rows,
            "customer_number": form.cleaned_data.get("identifier", "").strip()
            if unit_rows is not None
            else "",
            "error_items": summary(form),
            "title": page_title(_("Sök patient"), form),
            # GEN-6: prescribers see the assortment news on their start page
            **(latest_news(actor_of(request)) if actor_of(request).may_prescribe else {}),
        },
    )


@require_http_methods(["GET", "POST"])
def advanced_search(request: HttpRequest) -> HttpResponse:
    """UT-5: name and birth date (POST: names and birth dates stay out of URLs and logs)."""
    form = AdvancedSearchForm(request.POST if request.method == "POST" else None)
    found = None
    if request.method == "POST" and form.is_valid():
        try:
            found = search_by_name_and_birth_date(
                form.cleaned_data["name"],
                form.cleaned_data["birth_date"],
                actor=actor_of(request),
                channel="web",
            )
        except DomainError as error:
            apply_problems(error, form, {})
    return render(
        request,
        "web/advanced_search.html",
        {
            "form": form,
            "found": found,
            "error_items": summary(form),
            "title": page_title(_("Avancerad sökning"), form),
        },
    )


@require_GET
def patient_overview(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = visible_patient(request, patient_id)
    actor = actor_of(request)
    prescriptions = list(prescriptions_of(patient, actor=actor))
    entitlements = entitlements_for(prescriptions)
    rows = [(p, entitlements[p.pk]) for p in prescriptions]
    withdrawals = latest_withdrawals_of(patient, actor=actor)
    elsewhere = records_elsewhere(patient, actor=actor)
    return render(
        request,
        "web/patient.html",
        {
            "patient": patient,
            "rows": rows,
            "withdrawals": withdrawals,
            "may_prescribe": actor.may_prescribe,
            "may_order": actor.may_order,
            "last_reminder": last_reminder_of(patient),
            "vouchers": voucher_state_of(prescriptions),
            "reminder_setting": reminder_setting_of(patient),
            "elsewhere": elsewhere,  # other units' records not shown yet (PDL-1, PDL-2)
            "may_block": actor.role == Role.CUSTOMER_SERVICE,
            # RX-2: a prescription this close to expiry (or past it) offers "Förnya"
            "renew_by": clock.today() + dt.timedelta(days=RENEW_WITHIN_DAYS),
            "title": _("Patientöversikt"),
        },
    )
