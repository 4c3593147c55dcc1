"""Forms of issue 5: access and unit applications, decisions, joint orders, contact details.

They parse input into types only. Where a value names something the user may not
choose (a unit they do not head, a role they may not apply for), the form lets it
through to the domain service, which refuses it and records the refusal in the audit
trail: a forged request is then refused, audited and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms

from lmn.accounts.applications import ACCESS_ROLES
from lmn.catalog.models import ProductArea
from lmn.core.actor import Role
from lmn.organisations.models import PrescribingUnit

from .fields import TextField
from .forms import TextInput, quantity_field

ROLE_ORDER = (Role.PRESCRIBER, Role.ORDERER, Role.DOCTOR)
ROLE_HINTS = {
    Role.PRESCRIBER: "Har förskrivningsrätt i de produktområden du väljer.",
    Role.ORDERER: "Ingen förskrivningsrätt: gör uttag och sambeställningar.",
    Role.DOCTOR: "Fri förskrivningsrätt, automatiskt i alla produktområden.",
}


class OpenChoiceField(forms.ChoiceField):
    """Shows its choices, but passes any value on: the domain refuses (and audits) a forged one."""

    def valid_value(self, value: Any) -> bool:
        return True


class OpenMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def _text(label: str, *, max_length: int, required: bool = True, **kw: Any) -> forms.CharField:
    attrs = kw.pop("attrs", {})
    return TextField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": "Fältet måste fyllas i.",
            "max_length": f"Högst {max_length} tecken är tillåtna.",
        },
        widget=TextInput(attrs),
        **kw,
    )


def area_choices() -> list[tuple[str, str]]:
    return list(ProductArea.objects.order_by("sort_order").values_list("code", "name"))


class AccessApplicationForm(forms.Form):
    subject_hsa_id = _text(
        "Personens HSA-id",
        max_length=40,
        help_text="Till exempel SE2321000131-E000000001",
        attrs={"autocomplete": "off", "spellcheck": "false"},
    )
    first_name = _text("Förnamn", max_length=150, required=False)
    last_name = _text("Efternamn", max_length=150, required=False)
    email = _text("E-postadress", max_length=254, required=False, attrs={"type": "email"})
    role = OpenChoiceField(
        label="Roll",
        choices=[(r, Role.LABELS[r]) for r in ROLE_ORDER],
        error_messages={"required": "Välj rollen Förskrivare, Beställare eller Läkare."},
    )
    areas = OpenMultipleChoiceField(
        label="Produktområden", required=False, widget=forms.CheckboxSelectMultiple
    )
    joint_ordering = forms.BooleanField(
        label="Sambeställning – Särskilt boende",
        required=False,
        help_text="Får beställa för flera patienter på en avdelning på en gång (ej nutrition).",
    )
    units = OpenMultipleChoiceField(
        label="Förskrivande enheter",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Välj minst en förskrivande enhet."},
    )

    def __init__(self, *args: Any, kind: str, units: list[PrescribingUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [  # type: ignore[attr-defined]
            (u.customer_number, f"{u.name} ({u.customer_number})") for u in units
        ]
        self.fields["areas"].choices = area_choices()  # type: ignore[attr-defined]
        if kind != "grant":
            for name in ("first_name", "last_name", "email"):
                del self.fields[name]
        if kind == "end":
            for name in ("role", "areas", "joint_ordering"):
                del self.fields[name]


class UnitApplicationForm(forms.Form):
    change = forms.ChoiceField(
        label="Ansökan gäller",
        choices=[("new", "En ny förskrivande enhet"), ("change", "Ändring av min enhet")],
        widget=forms.RadioSelect,
        initial="new",
        error_messages={
            "required": "Välj ny enhet eller ändring.",
            "invalid_choice": "Välj ny enhet eller ändring.",
        },
    )
    name = _text("Enhetens namn", max_length=200)
    kind = forms.ChoiceField(
        label="Typ av enhet",
        choices=[("", "Välj typ"), *PrescribingUnit.Kind.choices],
        error_messages={
            "required": "Välj typ av enhet.",
            "invalid_choice": "Välj en giltig typ av enhet.",
        },
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    hsa_id = _text("Enhetens HSA-id (valfritt)", max_length=40, required=False)
    street = _text("Gatuadress", max_length=200, attrs={"autocomplete": "street-address"})
    postcode = _text(
        "Postnummer", max_length=10, attrs={"class": "nhsuk-input nhsuk-input--width-5"}
    )
    city = _text("Ort", max_length=100)
    phone = _text("Telefon (valfritt)", max_length=30, required=False, attrs={"type": "tel"})
    delivery_place = _text(
        "Anvisad leveransplats (valfritt)",
        max_length=200,
        required=False,
        help_text="För särskilt boende: var samleveranser lämnas dagtid, t.ex. godsmottagningen.",
    )

    PAYER_FIELDS = (
        ("name", "Betalare", 200, True),
        ("invoice_street", "Fakturaadress", 200, True),
        ("invoice_postcode", "Postnummer", 10, True),
        ("invoice_city", "Ort", 100, True),
        ("invoice_reference", "Fakturareferens (valfritt)", 100, False),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = area_choices()
        for code, _name in self.areas:
            for suffix, label, limit, required in self.PAYER_FIELDS:
                self.fields[f"{code}-{suffix}"] = _text(label, max_length=limit, required=required)

    def payer_groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [
            (code, name, [self[f"{code}-{s}"] for s, *_ in self.PAYER_FIELDS])
            for code, name in self.areas
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Beslut",
        choices=[("approve", "Bevilja"), ("reject", "Avslå")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Välj bevilja eller avslå.",
            "invalid_choice": "Välj bevilja eller avslå.",
        },
    )
    reason = TextField(
        label="Motivering",
        help_text="Krävs vid avslag. Visas för den som ansökte.",
        required=False,
        max_length=500,
        error_messages={"max_length": "Högst 500 tecken är tillåtna."},
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )


class ContactForm(forms.Form):
    phone = _text(
        "Direktnummer",
        max_length=30,
        required=False,
        help_text="Ett nummer där du själv svarar, inte växeln.",
        attrs={"type": "tel", "autocomplete": "tel"},
    )
    phone_is_switchboard = forms.BooleanField(label="Numret går till en växel", required=False)
    email = _text(
        "E-postadress",
        max_length=254,
        required=False,
        help_text="En ändrad adress bekräftar du med en länk som skickas till den.",
        attrs={"type": "email", "autocomplete": "email", "spellcheck": "false"},
    )


class MailingForm(forms.Form):
    subject = _text("Rubrik", max_length=200)
    body = TextField(
        label="Meddelande",
        max_length=10_000,
        error_messages={
            "required": "Skriv meddelandet.",
            "max_length": "Meddelandet är för långt.",
        },
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 8}),
    )
    areas = OpenMultipleChoiceField(
        label="Produktområden",
        help_text="Inget valt: förskrivare i alla produktområden.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = _text(
        "Kundnummer (valfritt)",
        max_length=500,
        required=False,
        help_text="Sexsiffriga kundnummer åtskilda med komma. Tomt: alla enheter.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = area_choices()  # type: ignore[attr-defined]

    def unit_numbers(self) -> list[str]:
        raw = self.cleaned_data.get("units") or ""
        return [n for n in raw.replace(";", ",").replace(" ", ",").split(",") if n]


class JointOrderForm(forms.Form):
    """Quantities per resident and prescription (q-<prescription id>) plus delivery contact."""

    speed = OpenChoiceField(
        label="Leverans",
        choices=[("standard", "Samleverans dagtid")],
        initial="standard",
        required=False,
        widget=forms.RadioSelect,
    )
    contact_person = _text(
        "Kontaktperson på avdelningen (valfritt)", max_length=100, required=False
    )
    phone = _text("Telefon (valfritt)", max_length=30, required=False, attrs={"type": "tel"})

    def __init__(self, *args: Any, prescription_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for pk in prescription_ids:
            self.fields[quantity_name(pk)] = quantity_field("Antal")


def quantity_name(prescription_id: int) -> str:
    return f"q-{prescription_id}"


ACCESS_KIND_SLUGS = {"ny": "grant", "andrad": "change", "avslutad": "end"}
ACCESS_KIND_TITLES = {
    "grant": "Ansök om ny behörighet",
    "change": "Ansök om ändrad behörighet",
    "end": "Ansök om avslutad behörighet",
}
ACCESS_ROLE_CODES = ACCESS_ROLES
