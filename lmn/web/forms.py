"""Forms parse input into types; the business rules live in the domain services.

Problems a service raises (DomainError) are put back on these forms' fields by
`errors.apply_problems`, so every error shows next to its field and in the summary.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms

from lmn.catalog.models import Product
from lmn.prescriptions.models import ConsumptionPeriod

REQUIRED = {"required": "Fältet måste fyllas i."}
WITHDRAWAL_NUMBER = re.compile(r"^U\d{8}$")


class TextInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"class": "nhsuk-input", **(attrs or {})})


class LoginForm(forms.Form):
    username = forms.CharField(
        label="Användarnamn",
        max_length=150,
        error_messages={"required": "Ange ditt användarnamn."},
        widget=TextInput({"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Lösenord",
        max_length=256,
        strip=False,
        error_messages={"required": "Ange ditt lösenord."},
        widget=forms.PasswordInput(
            attrs={"class": "nhsuk-input", "autocomplete": "current-password"}
        ),
    )


class ChooseUnitForm(forms.Form):
    membership = forms.TypedChoiceField(
        label="Enhet och roll",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Välj den enhet och roll du vill arbeta i.",
            "invalid_choice": "Välj en av dina enheter.",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = choices  # type: ignore[attr-defined]


class PatientSearchForm(forms.Form):
    identifier = forms.CharField(
        label="Personnummer",
        help_text="Till exempel 19121212-1212 eller 121212-1212",
        max_length=20,
        error_messages={"required": "Ange patientens personnummer."},
        widget=TextInput({"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}),
    )


class ProductSearchForm(forms.Form):
    q = forms.CharField(
        label="Sök produkt",
        help_text="Produktnamn eller artikelnummer",
        required=False,
        max_length=100,
        widget=TextInput({"type": "search", "autocomplete": "off"}),
    )


class PrescriptionForm(forms.Form):
    product = forms.ModelChoiceField(
        label="Produkt",
        queryset=Product.objects.none(),
        to_field_name="article_number",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Välj en produkt i listan.",
            "invalid_choice": "Välj en produkt i listan.",
        },
    )
    consumption_amount = forms.IntegerField(
        label="Förbrukning (antal)",
        min_value=1,
        error_messages={
            "required": "Ange förbrukningen som ett heltal.",
            "invalid": "Ange förbrukningen som ett heltal.",
            "min_value": "Förbrukningen ska vara minst 1.",
        },
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-5"}),
    )
    consumption_period = forms.ChoiceField(
        label="Per",
        choices=ConsumptionPeriod.choices,
        initial=ConsumptionPeriod.DAY,
        error_messages={"required": "Välj dag, vecka eller månad."},
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    valid_from = forms.DateField(
        label="Giltig från (valfritt)",
        help_text="Lämnas tomt: i dag",
        required=False,
        error_messages={"invalid": "Ange datumet som ÅÅÅÅ-MM-DD."},
        widget=forms.DateInput(
            attrs={"class": "nhsuk-input nhsuk-input--width-10", "type": "date"}
        ),
    )
    valid_until = forms.DateField(
        label="Giltig till (valfritt)",
        help_text="Lämnas tomt: 12 månader från giltig från",
        required=False,
        error_messages={"invalid": "Ange datumet som ÅÅÅÅ-MM-DD."},
        widget=forms.DateInput(
            attrs={"class": "nhsuk-input nhsuk-input--width-10", "type": "date"}
        ),
    )
    max_supply_days = forms.IntegerField(
        label="Längsta uttagsperiod i dagar (valfritt)",
        help_text="Lämnas tomt: 90 dagar",
        required=False,
        error_messages={"invalid": "Ange antal dagar som ett heltal."},
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-5"}),
    )
    instructions = forms.CharField(
        label="Anvisning (valfritt)",
        required=False,
        max_length=500,
        error_messages={"max_length": "Högst 500 tecken är tillåtna."},
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        field.queryset = products  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: p.name  # type: ignore[attr-defined]


class DeliveryForm(forms.Form):
    """Standard home delivery; the address defaults to the patient's registered one."""

    street = forms.CharField(
        label="Gatuadress",
        max_length=200,
        error_messages={"required": "Ange gatuadress."},
        widget=TextInput({"autocomplete": "street-address"}),
    )
    postcode = forms.CharField(
        label="Postnummer",
        max_length=10,
        error_messages={"required": "Ange postnummer."},
        widget=TextInput(
            {"autocomplete": "postal-code", "class": "nhsuk-input nhsuk-input--width-10"}
        ),
    )
    city = forms.CharField(
        label="Ort",
        max_length=100,
        error_messages={"required": "Ange ort."},
        widget=TextInput({"autocomplete": "address-level2"}),
    )
    care_of = forms.CharField(
        label="c/o (valfritt)", required=False, max_length=100, widget=TextInput()
    )
    door_code = forms.CharField(
        label="Portkod (valfritt)",
        required=False,
        max_length=20,
        widget=TextInput({"class": "nhsuk-input nhsuk-input--width-10", "autocomplete": "off"}),
    )
    entry_phone = forms.BooleanField(label="Porttelefon finns", required=False)
    name_on_door = forms.BooleanField(label="Namnet står på dörren", required=False, initial=True)
    phone = forms.CharField(
        label="Telefon för avisering (valfritt)",
        required=False,
        max_length=30,
        widget=TextInput({"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label="E-post för avisering (valfritt)",
        required=False,
        max_length=254,
        widget=TextInput({"type": "email", "autocomplete": "email", "spellcheck": "false"}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def quantity_field_name(prescription_id: int) -> str:
    return f"qty_{prescription_id}"


class QuantitiesForm(forms.Form):
    """One quantity per active prescription; blank or 0 means "not this time"."""

    def __init__(self, *args: Any, prescriptions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for p in prescriptions:
            self.fields[quantity_field_name(p.pk)] = forms.IntegerField(
                label=f"Antal {p.product.name}",
                required=False,
                min_value=0,
                error_messages={
                    "invalid": "Ange antalet som ett heltal.",
                    "min_value": "Antalet kan inte vara negativt.",
                },
                widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-5"}),
            )

    def lines(self) -> list[tuple[int, int]]:
        """(prescription id, quantity) for every positive quantity, in field order."""
        result = []
        for name, value in self.cleaned_data.items():
            if value:
                result.append((int(name.removeprefix("qty_")), value))
        return result


class WithdrawalNumberForm(forms.Form):
    number = forms.CharField(
        label="Uttagsnummer",
        help_text="U följt av åtta siffror, till exempel U13201003",
        max_length=20,
        error_messages={"required": "Ange ett uttagsnummer."},
        widget=TextInput({"class": "nhsuk-input nhsuk-input--width-10", "spellcheck": "false"}),
    )

    def clean_number(self) -> str:
        number = "".join(self.cleaned_data["number"].split()).upper()
        if not WITHDRAWAL_NUMBER.match(number):
            raise forms.ValidationError(
                "Uttagsnumret ska vara U följt av åtta siffror, till exempel U13201003."
            )
        return number
