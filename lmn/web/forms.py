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
from lmn.delivery.details import Destination, NotifyBy, Speed
from lmn.delivery.rules import ORDERABLE_DESTINATIONS
from lmn.prescriptions.models import ConsumptionPeriod
from lmn.prescriptions.services import MAX_CONSUMPTION
from lmn.withdrawals.models import Collection
from lmn.withdrawals.shipping import RETURN_REASONS, SHIPMENT_EVENTS

from .fields import TextField

REQUIRED = {"required": "Fältet måste fyllas i."}
WITHDRAWAL_NUMBER = re.compile(r"^U\d{8}$")


class TextInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"class": "nhsuk-input", **(attrs or {})})


class LoginForm(forms.Form):
    username = TextField(
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
    # also an LMA number (ASYL-6) or the unit's customer number (SKYDD-9)
    identifier = TextField(
        label="Personnummer",
        help_text=(
            "Till exempel 19121212-1212 eller 121212-1212. Asylsökande: LMA-numret, "
            "t.ex. 50-008920. Enhetens kundnummer visar uttag för skyddade personuppgifter."
        ),
        max_length=20,
        error_messages={"required": "Ange patientens personnummer."},
        widget=TextInput({"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}),
    )


class ProductSearchForm(forms.Form):
    q = TextField(
        label="Sök produkt",
        help_text="Produktnamn eller artikelnummer",
        required=False,
        max_length=100,
        widget=TextInput({"type": "search", "autocomplete": "off"}),
    )


def numeric_input() -> forms.TextInput:
    """A whole number typed as text (GOV.UK/NHS.UK advice): a number input drops letters
    without a word and changes its value when the page is scrolled over it, whereas
    here "5a" reaches the form and is reported."""
    return forms.TextInput(
        attrs={
            "class": "nhsuk-input nhsuk-input--width-5",
            "inputmode": "numeric",
            "pattern": "[0-9]*",
            "autocomplete": "off",
            "spellcheck": "false",
        }
    )


class ConsumptionFields(forms.Form):
    """What a prescription states besides the product, shared by every prescribing form."""

    consumption_amount = forms.IntegerField(
        label="Förbrukning (antal)",
        min_value=1,
        max_value=MAX_CONSUMPTION,
        error_messages={
            "required": "Ange förbrukningen som ett heltal.",
            "invalid": "Ange förbrukningen som ett heltal.",
            "min_value": "Förbrukningen ska vara minst 1.",
            "max_value": f"Förbrukningen ska vara högst {MAX_CONSUMPTION}.",
        },
        widget=numeric_input(),
    )
    consumption_period = forms.ChoiceField(
        label="Per",
        choices=ConsumptionPeriod.choices,
        initial=ConsumptionPeriod.DAY,
        error_messages={"required": "Välj dag, vecka eller månad."},
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    instructions = TextField(
        label="Anvisning (valfritt)",
        required=False,
        max_length=500,
        error_messages={"max_length": "Högst 500 tecken är tillåtna."},
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )


class PrescriptionForm(ConsumptionFields):
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
        widget=numeric_input(),
    )

    # ASYL-2, UT-1: shown only for adult asylum seekers and persons without permit
    care_cannot_wait = forms.BooleanField(
        label="Vården kan inte anstå",
        help_text=(
            "Vuxna asylsökande och personer utan tillstånd har rätt till vård som inte kan "
            "anstå. Kryssa i om du har bedömt att vården inte kan vänta."
        ),
        required=False,
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        field.queryset = products  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: p.name  # type: ignore[attr-defined]


NOTIFY_LABELS = {NotifyBy.SMS: "Sms", NotifyBy.EMAIL: "E-post", NotifyBy.LETTER: "Brev"}


class DeliveryForm(forms.Form):
    """Where and how fast (independent choices, as in the API) and the details at the door.

    The speed choices are only those the actor may order for these products (see
    `delivery.rules.speed_options`); the domain checks them again when previewing and placing.
    """

    destination = forms.ChoiceField(
        label="Leveranssätt",
        required=False,
        choices=[(d, Destination.LABELS[d]) for d in ORDERABLE_DESTINATIONS],
        initial=Destination.DOOR,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Välj hemleverans eller utlämningsställe."},
    )
    speed = forms.ChoiceField(
        label="Leveranshastighet",
        required=False,
        initial=Speed.STANDARD,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Den leveranshastigheten kan inte väljas här."},
    )
    street = TextField(
        label="Gatuadress",
        required=False,
        max_length=200,
        error_messages={"max_length": "Högst 200 tecken är tillåtna."},
        widget=TextInput({"autocomplete": "street-address"}),
    )
    postcode = TextField(
        label="Postnummer",
        required=False,
        max_length=10,
        error_messages={"max_length": "Ange ett svenskt postnummer med fem siffror, t.ex. 413 01."},
        widget=TextInput(
            {"autocomplete": "postal-code", "class": "nhsuk-input nhsuk-input--width-10"}
        ),
    )
    city = TextField(
        label="Ort",
        required=False,
        max_length=100,
        error_messages={"max_length": "Högst 100 tecken är tillåtna."},
        widget=TextInput({"autocomplete": "address-level2"}),
    )
    multi_family = forms.BooleanField(
        label="Flerfamiljshus",
        required=False,
        help_text="Kryssa i om en annan adress än folkbokföringsadressen är ett flerfamiljshus.",
    )
    care_of = TextField(
        label="c/o",
        help_text="Krävs om patientens namn inte står på dörren.",
        required=False,
        max_length=100,
        error_messages={"max_length": "Högst 100 tecken är tillåtna."},
        widget=TextInput(),
    )
    door_code = TextField(
        label="Portkod",
        help_text="Krävs i flerfamiljshus. Skriv ”ingen” om porten saknar kod.",
        required=False,
        max_length=20,
        error_messages={"max_length": "Högst 20 tecken är tillåtna."},
        widget=TextInput({"class": "nhsuk-input nhsuk-input--width-10", "autocomplete": "off"}),
    )
    entry_phone = forms.BooleanField(label="Porttelefon finns", required=False)
    name_on_door = forms.BooleanField(
        label="Patientens namn står på dörren", required=False, initial=True
    )
    leave_outside = forms.BooleanField(label="Får ställas utanför", required=False)
    pickup_q = TextField(
        label="Sök utlämningsställe",
        help_text="Postnummer eller ort, till exempel 413 04 eller Göteborg",
        required=False,
        max_length=60,
        widget=TextInput({"type": "search", "autocomplete": "off"}),
    )
    pickup_point_id = TextField(required=False, max_length=40)
    notify_by = forms.ChoiceField(
        label="Avisering",
        required=False,
        choices=[(n, NOTIFY_LABELS[n]) for n in NotifyBy.ALL],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Välj avisering via sms, e-post eller brev."},
    )
    contact_person = TextField(
        label="Kontaktperson (valfritt)",
        help_text="Till exempel en förälder som hämtar åt ett barn med sin egen legitimation.",
        required=False,
        max_length=100,
        error_messages={"max_length": "Högst 100 tecken är tillåtna."},
        widget=TextInput({"autocomplete": "off"}),
    )
    phone = TextField(
        label="Telefon",
        help_text="Mobilnummer för sms. Krävs för akut- och expressleverans.",
        required=False,
        max_length=30,
        error_messages={"max_length": "Högst 30 tecken är tillåtna."},
        widget=TextInput({"type": "tel", "autocomplete": "tel"}),
    )
    email = TextField(
        label="E-postadress",
        help_text="För avisering via e-post.",
        required=False,
        max_length=254,
        error_messages={"max_length": "Högst 254 tecken är tillåtna."},
        widget=TextInput({"type": "email", "autocomplete": "email", "spellcheck": "false"}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(
        self,
        *args: Any,
        speeds: list[str],
        destinations: tuple[str, ...] = ORDERABLE_DESTINATIONS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speed"].choices = [(s, Speed.LABELS[s]) for s in speeds]  # type: ignore[attr-defined]
        # a protected person's parcel goes to the unit, c/o someone there (SKYDD-5)
        self.fields["destination"].choices = [(d, Destination.LABELS[d]) for d in destinations]  # type: ignore[attr-defined]
        self.default_destination = destinations[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["destination"] = data.get("destination") or self.default_destination
        data["speed"] = data.get("speed") or Speed.STANDARD
        if data["destination"] == Destination.DOOR:
            for name, message in (
                ("street", "Ange gatuadress."),
                ("postcode", "Ange postnummer."),
                ("city", "Ange ort."),
            ):
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message)
        return data


QUANTITY_ERRORS = {
    "invalid": "Ange antalet som ett heltal.",
    "min_value": "Antalet kan inte vara negativt.",
    "max_value": "Antalet är för stort.",
}


def quantity_field(label: str) -> forms.IntegerField:
    """An order quantity: blank or 0 is "not this time", letters are reported."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages=QUANTITY_ERRORS,
        widget=numeric_input(),
    )


def quantity_field_name(prescription_id: int) -> str:
    return f"qty_{prescription_id}"


class QuantitiesForm(forms.Form):
    """One quantity per active prescription; blank or 0 means "not this time"."""

    def __init__(self, *args: Any, prescriptions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for p in prescriptions:
            field = quantity_field(f"Antal {p.product.name}")
            # the live preview puts this line's problem there (web/_line_problem.html)
            field.widget.attrs["aria-describedby"] = f"line-problem-{p.pk}"
            self.fields[quantity_field_name(p.pk)] = field

    def lines(self) -> list[tuple[int, int]]:
        """(prescription id, quantity) for every positive quantity, in field order."""
        result = []
        for name, value in self.cleaned_data.items():
            if value:
                result.append((int(name.removeprefix("qty_")), value))
        return result


class WithdrawalNumberForm(forms.Form):
    number = TextField(
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
