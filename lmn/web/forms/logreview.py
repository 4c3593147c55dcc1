"""The auditor's follow-up form (PDL-3) and the review of one access."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import TextField, TextInput, date_field

VIEW_CHOICES = [
    ("patient", _("Alla åtkomster till en patient")),
    ("user", _("Alla åtkomster av en användare")),
    ("outside", _("Åtkomster utanför egen enhet och vårdgivare")),
    ("emergency", _("Nödåtkomster")),
    ("protected", _("Åtkomster till skyddade personuppgifter")),
    ("volume", _("Användare med avvikande många åtkomster")),
    ("sample", _("Stickprov per enhet och månad")),
]


class FollowUpForm(forms.Form):
    view = forms.ChoiceField(label=_("Vad vill du granska?"), choices=VIEW_CHOICES)
    identifier = TextField(
        label=_("Patientens personnummer"),
        max_length=20,
        required=False,
        widget=TextInput({"autocomplete": "off", "inputmode": "numeric"}),
    )
    hsa_id = TextField(
        label=_("Användarens HSA-id"),
        max_length=60,
        required=False,
        widget=TextInput({"autocomplete": "off"}),
    )
    unit = TextField(
        label=_("Enhetens kundnummer"),
        max_length=6,
        required=False,
        widget=TextInput({"autocomplete": "off", "inputmode": "numeric"}),
    )
    month = TextField(
        label=_("Månad (ÅÅÅÅ-MM)"),
        max_length=7,
        required=False,
        widget=TextInput({"autocomplete": "off"}),
    )
    since = date_field(_("Från och med"))
    until = date_field(_("Till och med"))


class ReviewForm(forms.Form):
    comment = TextField(label=_("Vad visade granskningen?"), max_length=1000, required=False)
