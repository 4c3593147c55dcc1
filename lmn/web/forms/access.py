"""Access and unit applications (issue 5).

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

from .fields import (
    OpenChoiceField,
    OpenMultipleChoiceField,
    text_field,
)

ROLE_ORDER = (Role.PRESCRIBER, Role.ORDERER, Role.DOCTOR)


ROLE_HINTS = {
    Role.PRESCRIBER: "Har förskrivningsrätt i de produktområden du väljer.",
    Role.ORDERER: "Ingen förskrivningsrätt: gör uttag och sambeställningar.",
    Role.DOCTOR: "Fri förskrivningsrätt, automatiskt i alla produktområden.",
}


def area_choices() -> list[tuple[str, str]]:
    return list(ProductArea.objects.order_by("sort_order").values_list("code", "name"))


class AccessApplicationForm(forms.Form):
    subject_hsa_id = text_field(
        "Personens HSA-id",
        max_length=40,
        help_text="Till exempel SE2321000131-E000000001",
        attrs={"autocomplete": "off", "spellcheck": "false"},
    )
    first_name = text_field("Förnamn", max_length=150, required=False)
    last_name = text_field("Efternamn", max_length=150, required=False)
    email = text_field("E-postadress", max_length=254, required=False, attrs={"type": "email"})
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
    name = text_field("Enhetens namn", max_length=200)
    kind = forms.ChoiceField(
        label="Typ av enhet",
        choices=[("", "Välj typ"), *PrescribingUnit.Kind.choices],
        error_messages={
            "required": "Välj typ av enhet.",
            "invalid_choice": "Välj en giltig typ av enhet.",
        },
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    hsa_id = text_field("Enhetens HSA-id (valfritt)", max_length=40, required=False)
    street = text_field("Gatuadress", max_length=200, attrs={"autocomplete": "street-address"})
    postcode = text_field(
        "Postnummer", max_length=10, attrs={"class": "nhsuk-input nhsuk-input--width-5"}
    )
    city = text_field("Ort", max_length=100)
    phone = text_field("Telefon (valfritt)", max_length=30, required=False, attrs={"type": "tel"})
    delivery_place = text_field(
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
                self.fields[f"{code}-{suffix}"] = text_field(
                    label, max_length=limit, required=required
                )

    def payer_groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [
            (code, name, [self[f"{code}-{s}"] for s, *_ in self.PAYER_FIELDS])
            for code, name in self.areas
        ]


ACCESS_KIND_SLUGS = {"ny": "grant", "andrad": "change", "avslutad": "end"}


ACCESS_KIND_TITLES = {
    "grant": "Ansök om ny behörighet",
    "change": "Ansök om ändrad behörighet",
    "end": "Ansök om avslutad behörighet",
}


ACCESS_ROLE_CODES = ACCESS_ROLES
