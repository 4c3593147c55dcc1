"""Access and unit applications (issue 5).

They parse input into types only. Where a value names something the user may not
choose (a unit they do not head, a role they may not apply for), the form lets it
through to the domain service, which refuses it and records the refusal in the audit
trail: a forged request is then refused, audited and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
    Role.PRESCRIBER: _("Har förskrivningsrätt i de produktområden du väljer."),
    Role.ORDERER: _("Ingen förskrivningsrätt: gör uttag och sambeställningar."),
    Role.DOCTOR: _("Fri förskrivningsrätt, automatiskt i alla produktområden."),
}


def area_choices() -> list[tuple[str, str]]:
    return list(ProductArea.objects.order_by("sort_order").values_list("code", "name"))


class AccessApplicationForm(forms.Form):
    subject_hsa_id = text_field(
        _("Personens HSA-id"),
        max_length=40,
        help_text=_("Till exempel SE2321000131-E000000001"),
        attrs={"autocomplete": "off", "spellcheck": "false"},
    )
    first_name = text_field(_("Förnamn"), max_length=150, required=False)
    last_name = text_field(_("Efternamn"), max_length=150, required=False)
    email = text_field(_("E-postadress"), max_length=254, required=False, attrs={"type": "email"})
    role = OpenChoiceField(
        label=_("Roll"),
        choices=[(r, Role.LABELS[r]) for r in ROLE_ORDER],
        error_messages={"required": _("Välj rollen Förskrivare, Beställare eller Läkare.")},
    )
    areas = OpenMultipleChoiceField(
        label=_("Produktområden"), required=False, widget=forms.CheckboxSelectMultiple
    )
    joint_ordering = forms.BooleanField(
        label=_("Sambeställning – Särskilt boende"),
        required=False,
        help_text=_("Får beställa för flera patienter på en avdelning på en gång (ej nutrition)."),
    )
    units = OpenMultipleChoiceField(
        label=_("Förskrivande enheter"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en förskrivande enhet.")},
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
        label=_("Ansökan gäller"),
        choices=[("new", _("En ny förskrivande enhet")), ("change", _("Ändring av min enhet"))],
        widget=forms.RadioSelect,
        initial="new",
        error_messages={
            "required": _("Välj ny enhet eller ändring."),
            "invalid_choice": _("Välj ny enhet eller ändring."),
        },
    )
    name = text_field(_("Enhetens namn"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Typ av enhet"),
        choices=[("", _("Välj typ")), *PrescribingUnit.Kind.choices],
        error_messages={
            "required": _("Välj typ av enhet."),
            "invalid_choice": _("Välj en giltig typ av enhet."),
        },
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    hsa_id = text_field(_("Enhetens HSA-id (valfritt)"), max_length=40, required=False)
    street = text_field(_("Gatuadress"), max_length=200, attrs={"autocomplete": "street-address"})
    postcode = text_field(
        _("Postnummer"), max_length=10, attrs={"class": "nhsuk-input nhsuk-input--width-5"}
    )
    city = text_field(_("Ort"), max_length=100)
    phone = text_field(
        _("Telefon (valfritt)"), max_length=30, required=False, attrs={"type": "tel"}
    )
    delivery_place = text_field(
        _("Anvisad leveransplats (valfritt)"),
        max_length=200,
        required=False,
        help_text=_(
            "För särskilt boende: var samleveranser lämnas dagtid, t.ex. godsmottagningen."
        ),
    )

    PAYER_FIELDS = (
        ("name", _("Betalare"), 200, True),
        ("invoice_street", _("Fakturaadress"), 200, True),
        ("invoice_postcode", _("Postnummer"), 10, True),
        ("invoice_city", _("Ort"), 100, True),
        ("invoice_reference", _("Fakturareferens (valfritt)"), 100, False),
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
    "grant": _("Ansök om ny behörighet"),
    "change": _("Ansök om ändrad behörighet"),
    "end": _("Ansök om avslutad behörighet"),
}


ACCESS_ROLE_CODES = ACCESS_ROLES
