"""Stating a care relationship or an emergency access (PDL-1, PDL-2); a block (PDL-2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import TextField, TextInput


class CareRelationshipForm(forms.Form):
    # the domain refuses a missing reason with its own message (reason_required)
    reason = TextField(
        label=_("Skäl"),
        help_text=_("Till exempel besök, telefonkontakt eller hembesök idag."),
        max_length=500,
        required=False,
        widget=TextInput({"autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_("Patienten samtycker till att jag läser uppgifter från andra vårdgivare"),
        required=False,
    )


class EmergencyAccessForm(forms.Form):
    reason = TextField(
        label=_("Skäl till nödåtkomst"),
        help_text=_("Nödåtkomsten granskas alltid i loggranskningen."),
        max_length=500,
        required=False,
        widget=TextInput({"autocomplete": "off"}),
    )


class BlockForm(forms.Form):
    unit = forms.CharField(
        label=_("Kundnummer för enheten vars uppgifter spärras"),
        max_length=6,
        required=False,
        widget=TextInput({"autocomplete": "off", "inputmode": "numeric"}),
    )
    reason = TextField(label=_("Anteckning"), max_length=500, required=False)
