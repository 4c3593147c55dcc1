"""Stating a care relationship or an emergency access (PDL-1, PDL-2), and customer
service's page for a patient's blocks (PDL-2). The rules live in the domain."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lmn.core.errors import DomainError, NotFound
from lmn.patients.access import active_blocks_of
from lmn.patients.services.care import lift_block, register_block, state_care_relationship
from lmn.withdrawals.elsewhere import records_elsewhere, units_with_records

from ..errors import apply_problems, summary
from ..forms.care import BlockForm, CareRelationshipForm, EmergencyAccessForm
from .common import actor_of, page_title, visible_patient


@require_http_methods(["GET", "POST"])
def care_relationship(request: HttpRequest, patient_id: int) -> HttpResponse:
    return _statement(request, patient_id, emergency=False)


@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest, patient_id: int) -> HttpResponse:
    return _statement(request, patient_id, emergency=True)


def _statement(request: HttpRequest, patient_id: int, *, emergency: bool) -> HttpResponse:
    patient = visible_patient(request, patient_id)
    actor = actor_of(request)
    post = request.POST if request.method == "POST" else None
    form = EmergencyAccessForm(post) if emergency else CareRelationshipForm(post)
    if post is not None and form.is_valid():
        try:
            state_care_relationship(
                patient,
                reason=form.cleaned_data["reason"] or "",
                consent=bool(form.cleaned_data.get("consent")),
                emergency=emergency,
                actor=actor,
                channel="portal",
            )
        except DomainError as error:
            apply_problems(error, form, {})
        else:
            return redirect("web:patient", patient_id=patient.pk)
    title = _("Nödåtkomst") if emergency else _("Ange vårdrelation")
    return render(
        request,
        "web/care_relationship.html",
        {
            "patient": patient,
            "form": form,
            "emergency": emergency,
            "elsewhere": records_elsewhere(patient, actor=actor),
            "error_items": summary(form),
            "title": page_title(title, form),
            "heading": title,
        },
    )


@require_http_methods(["GET", "POST"])
def patient_blocks(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Customer service registers and lifts the patient's blocks of units' data."""
    patient = visible_patient(request, patient_id)
    actor = actor_of(request)
    units = units_with_records(patient)
    form = BlockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("lift"):
        wanted = request.POST.get("lift", "")
        block = active_blocks_of(patient).filter(pk=int(wanted) if wanted.isdigit() else 0).first()
        if block is None:
            raise NotFound()
        try:
            lift_block(block, actor=actor, channel="portal")
        except DomainError as error:
            apply_problems(error, form, {})
        else:
            messages.success(request, _("Spärren är hävd."))
            return redirect("web:patient_blocks", patient_id=patient.pk)
    elif request.method == "POST" and form.is_valid():
        unit = next((u for u in units if u.customer_number == form.cleaned_data["unit"]), None)
        try:
            if unit is None:
                raise DomainError.single(
                    "unit_required", _("Välj enheten vars uppgifter ska spärras."), "unit"
                )
            register_block(
                patient,
                unit=unit,
                reason=form.cleaned_data["reason"] or "",
                actor=actor,
                channel="portal",
            )
        except DomainError as error:
            apply_problems(error, form, {})
        else:
            messages.success(request, _("Spärren är registrerad."))
            return redirect("web:patient_blocks", patient_id=patient.pk)
    return render(
        request,
        "web/patient_blocks.html",
        {
            "patient": patient,
            "form": form,
            "blocks": active_blocks_of(patient),
            "unit_options": [(u.customer_number, str(u), "") for u in units],
            "current_unit": form["unit"].value() or "",
            "error_items": summary(form),
            "title": page_title(_("Spärrar"), form),
        },
    )
