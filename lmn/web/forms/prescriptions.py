"""Prescribing: the product search and the prescription, and the consumption fields
every prescribing form shares (the case forms too).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lmn.catalog.models import Product
from lmn.prescriptions.models import ConsumptionPeriod
from lmn.prescriptions.services import MAX_CONSUMPTION

from .fields import (
    TextField,
    TextInput,
    lazy_percent,
    numeric_input,
)


class ProductSearchForm(forms.Form):
    q = TextField(
        label=_("Sök produkt"),
        help_text=_("Produktnamn eller artikelnummer"),
        required=False,
        max_length=100,
        widget=TextInput({"type": "search", "autocomplete": "off"}),
    )


class ConsumptionFields(forms.Form):
    """What a prescription states besides the product, shared by every prescribing form."""

    consumption_amount = forms.IntegerField(
        label=_("Förbrukning (antal)"),
        min_value=1,
        max_value=MAX_CONSUMPTION,
        error_messages={
            "required": _("Ange förbrukningen som ett heltal."),
            "invalid": _("Ange förbrukningen som ett heltal."),
            "min_value": _("Förbrukningen ska vara minst 1."),
            "max_value": lazy_percent(_("Förbrukningen ska vara högst %(n)s."), n=MAX_CONSUMPTION),
        },
        widget=numeric_input(),
    )
    consumption_period = forms.ChoiceField(
        label=_("Per"),
        choices=ConsumptionPeriod.choices,
        initial=ConsumptionPeriod.DAY,
        error_messages={"required": _("Välj dag, vecka eller månad.")},
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    instructions = TextField(
        label=_("Anvisning (valfritt)"),
        required=False,
        max_length=500,
        error_messages={"max_length": _("Högst 500 tecken är tillåtna.")},
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )


class PrescriptionForm(ConsumptionFields):
    product = forms.ModelChoiceField(
        label=_("Produkt"),
        queryset=Product.objects.none(),
        to_field_name="article_number",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj en produkt i listan."),
            "invalid_choice": _("Välj en produkt i listan."),
        },
    )
    valid_from = forms.DateField(
        label=_("Giltig från (valfritt)"),
        help_text=_("Lämnas tomt: i dag"),
        required=False,
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
        widget=forms.DateInput(
            attrs={"class": "nhsuk-input nhsuk-input--width-10", "type": "date"}
        ),
    )
    valid_until = forms.DateField(
        label=_("Giltig till (valfritt)"),
        help_text=_("Lämnas tomt: 12 månader från giltig från"),
        required=False,
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
        widget=forms.DateInput(
            attrs={"class": "nhsuk-input nhsuk-input--width-10", "type": "date"}
        ),
    )
    max_supply_days = forms.IntegerField(
        label=_("Längsta uttagsperiod i dagar (valfritt)"),
        help_text=_("Lämnas tomt: 90 dagar"),
        required=False,
        error_messages={"invalid": _("Ange antal dagar som ett heltal.")},
        widget=numeric_input(),
    )

    # ASYL-2, UT-1: shown only for adult asylum seekers and persons without permit
    care_cannot_wait = forms.BooleanField(
        label=_("Vården kan inte anstå"),
        help_text=(
            _(
                "Vuxna asylsökande och personer utan tillstånd har rätt till vård som inte kan "
                "anstå. Kryssa i om du har bedömt att vården inte kan vänta."
            )
        ),
        required=False,
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        field.queryset = products  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: p.name  # type: ignore[attr-defined]
