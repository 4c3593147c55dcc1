"""The distributor's shipment events and collections at the pickup point."""

from __future__ import annotations

from django import forms

from lmn.withdrawals.models import Collection
from lmn.withdrawals.shipping import RETURN_REASONS, SHIPMENT_EVENTS

from .fields import (
    TextField,
    TextInput,
)

ID_DOCUMENTS = [
    ("", "Välj legitimation"),
    ("Körkort", "Körkort"),
    ("Pass", "Pass"),
    ("Nationellt id-kort", "Nationellt id-kort"),
    ("Id-kort från Skatteverket", "Id-kort från Skatteverket"),
    ("Annan giltig legitimation", "Annan giltig legitimation"),
]


class ShipmentEventForm(forms.Form):
    """One step of the shipment lifecycle, reported by the distributor."""

    event = forms.ChoiceField(
        choices=[(e, e) for e in SHIPMENT_EVENTS],
        error_messages={"required": "Välj en händelse.", "invalid_choice": "Välj en händelse."},
    )
    reason = forms.ChoiceField(
        label="Returorsak",
        required=False,
        choices=[("", "Välj orsak"), *RETURN_REASONS.items()],
        error_messages={"invalid_choice": "Ange en giltig returorsak."},
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )


class CollectionForm(forms.Form):
    """Who collects at the pickup point and which identification was shown (PICK-5..PICK-9)."""

    code = TextField(
        label="Kod från aviseringen",
        help_text="Fyra siffror",
        required=False,
        max_length=10,
        widget=TextInput(
            {
                "class": "nhsuk-input nhsuk-input--width-4",
                "inputmode": "numeric",
                "autocomplete": "off",
            }
        ),
    )
    collector = forms.ChoiceField(
        label="Vem hämtar?",
        choices=Collection.Collector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Ange vem som hämtar.",
            "invalid_choice": "Ange vem som hämtar.",
        },
    )
    recipient_id_shown = forms.BooleanField(
        label="Mottagarens legitimation visades", required=False
    )
    collector_id_shown = forms.BooleanField(
        label="Den hämtandes legitimation visades", required=False
    )
    register_extract_shown = forms.BooleanField(
        label="Vårdnadshavaren visade utdrag ur folkbokföringen (personbevis) om vårdnaden",
        required=False,
    )
    id_document = forms.ChoiceField(
        label="Legitimation",
        required=False,
        choices=ID_DOCUMENTS,
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    collector_name = TextField(
        label="Den hämtandes namn",
        help_text="Krävs när kontaktpersonen, en vårdnadshavare eller någon annan hämtar.",
        required=False,
        max_length=100,
        widget=TextInput({"autocomplete": "off"}),
    )
