"""The distributor's shipment events and collections at the pickup point."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lmn.withdrawals.models import Collection
from lmn.withdrawals.shipping import RETURN_REASONS, SHIPMENT_EVENTS

from .fields import (
    TextField,
    TextInput,
)

ID_DOCUMENTS = [
    ("", _("Välj legitimation")),
    (_("Körkort"), _("Körkort")),
    (_("Pass"), _("Pass")),
    (_("Nationellt id-kort"), _("Nationellt id-kort")),
    (_("Id-kort från Skatteverket"), _("Id-kort från Skatteverket")),
    (_("Annan giltig legitimation"), _("Annan giltig legitimation")),
]


class ShipmentEventForm(forms.Form):
    """One step of the shipment lifecycle, reported by the distributor."""

    event = forms.ChoiceField(
        choices=[(e, e) for e in SHIPMENT_EVENTS],
        error_messages={
            "required": _("Välj en händelse."),
            "invalid_choice": _("Välj en händelse."),
        },
    )
    reason = forms.ChoiceField(
        label=_("Returorsak"),
        required=False,
        choices=[
            ("", _("Välj orsak")),
            *((code, _(text)) for code, text in RETURN_REASONS.items()),
        ],
        error_messages={"invalid_choice": _("Ange en giltig returorsak.")},
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )


class CollectionForm(forms.Form):
    """Who collects at the pickup point and which identification was shown (PICK-5..PICK-9)."""

    code = TextField(
        label=_("Kod från aviseringen"),
        help_text=_("Fyra siffror"),
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
        label=_("Vem hämtar?"),
        choices=Collection.Collector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Ange vem som hämtar."),
            "invalid_choice": _("Ange vem som hämtar."),
        },
    )
    recipient_id_shown = forms.BooleanField(
        label=_("Mottagarens legitimation visades"), required=False
    )
    collector_id_shown = forms.BooleanField(
        label=_("Den hämtandes legitimation visades"), required=False
    )
    register_extract_shown = forms.BooleanField(
        label=_("Vårdnadshavaren visade utdrag ur folkbokföringen (personbevis) om vårdnaden"),
        required=False,
    )
    id_document = forms.ChoiceField(
        label=_("Legitimation"),
        required=False,
        choices=ID_DOCUMENTS,
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    collector_name = TextField(
        label=_("Den hämtandes namn"),
        help_text=_("Krävs när kontaktpersonen, en vårdnadshavare eller någon annan hämtar."),
        required=False,
        max_length=100,
        widget=TextInput({"autocomplete": "off"}),
    )
