"""The patient's reminder settings (EPAT-3): which channel, or none at all."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lmn.core.errors import DomainError
from lmn.reminders.queries import reminder_setting_of
from lmn.reminders.services import choose_reminders

from ..errors import apply_problems, summary
from ..forms.reminders import CHOICES, ReminderSettingsForm
from .common import actor_of, page_title, visible_patient


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = visible_patient(request, patient_id)
    setting = reminder_setting_of(patient)
    current = ("none" if setting.opted_out else setting.channel) if setting else ""
    initial = {
        "choice": current,
        "phone": setting.phone if setting else "",
        "email": setting.email if setting else "",
    }
    form = ReminderSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            choose_reminders(
                patient,
                channel="" if d["choice"] == "none" else d["choice"],
                phone=d["phone"],
                email=d["email"],
                opted_out=d["choice"] == "none",
                actor=actor_of(request),
            )
        except DomainError as error:
            apply_problems(error, form, {})
        else:
            messages.success(request, _("Patientens val för påminnelser är sparat."))
            return redirect("web:patient", patient.pk)
    return render(
        request,
        "web/reminder_settings.html",
        {
            "patient": patient,
            "form": form,
            "options": [(value, label, "") for value, label in CHOICES],
            "current": form["choice"].value() or current,
            "error_items": summary(form),
            "title": page_title(_("Påminnelser"), form),
        },
    )
