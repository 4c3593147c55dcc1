"""Customer service registers a power of attorney the patient sent on paper (EPAT-2)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lmn.core.errors import DomainError
from lmn.patients.services import find_patient_by_identifier
from lmn.representation.models import Scope
from lmn.representation.services import PowerDraft, grant_power

from ..errors import apply_problems, summary
from .common import actor_of, page_title


class PaperPowerForm(forms.Form):
    patient_identifier = forms.CharField(
        label=gettext_lazy("Patientens personnummer"), max_length=13
    )
    holder_identifier = forms.CharField(label=gettext_lazy("Ombudets personnummer"), max_length=13)
    holder_name = forms.CharField(label=gettext_lazy("Ombudets namn"), max_length=200)
    scope = forms.ChoiceField(
        label=gettext_lazy("Vad får ombudet göra?"),
        choices=[
            (Scope.ORDER, gettext_lazy("Se och beställa")),
            (Scope.VIEW, gettext_lazy("Bara se")),
        ],
        widget=forms.RadioSelect,
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Gäller från (tomt: i dag)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Gäller till och med"), widget=forms.DateInput(attrs={"type": "date"})
    )


def paper_power(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = PaperPowerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            patient = find_patient_by_identifier(c["patient_identifier"], actor=actor)
            if patient is None:
                raise DomainError.single(
                    "patient_not_found", _("Patienten hittades inte."), "patient_identifier"
                )
            grant_power(
                patient,
                PowerDraft(
                    c["holder_identifier"],
                    c["holder_name"],
                    c["scope"],
                    c["valid_until"],
                    c["valid_from"],
                ),
                actor=actor,
            )
        except DomainError as error:
            apply_problems(error, form, {"identifier": "patient_identifier"})
        else:
            messages.success(request, _("Fullmakten är registrerad."))
            return redirect("web:paper_power")
    return render(
        request,
        "web/paper_power.html",
        {
            "form": form,
            "scope_options": [(v, label, "") for v, label in form.fields["scope"].choices],  # type: ignore[attr-defined]
            "current_scope": form["scope"].value() or "",
            "error_items": summary(form),
            "title": page_title(_("Registrera fullmakt"), form),
        },
    )
