"""How a patient wants to be reminded to order (EPAT-3), recorded by staff."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import text_field

CHOICES = [
    ("sms", _("Sms")),
    ("email", _("E-post")),
    ("letter", _("Brev till folkbokföringsadressen")),
    ("none", _("Inga påminnelser")),
]


class ReminderSettingsForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Hur vill patienten bli påmind?"),
        choices=CHOICES,
        error_messages={"required": _("Välj hur patienten vill bli påmind.")},
    )
    phone = text_field(
        _("Mobilnummer för sms"),
        max_length=30,
        required=False,
        attrs={"type": "tel", "autocomplete": "off"},
    )
    email = text_field(
        _("E-postadress"),
        max_length=254,
        required=False,
        attrs={"type": "email", "autocomplete": "off", "spellcheck": "false"},
    )
