"""Forms of the case pages and the customer-service back office.

They parse input into types; which fields a kind requires, and every other rule, is the
domain's (`lmn.cases.services.validate_case`), put back on these fields by
`errors.apply_problems`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lmn.cases.models import ContactLog
from lmn.cases.states import CaseKind
from lmn.catalog.models import Product

from .fields import (
    TextField,
    TextInput,
    date_field,
)
from .prescriptions import ConsumptionFields

# the fields each kind's form shows, after product and consumption (which all have)
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    CaseKind.ASYLUM: (
        "first_name",
        "last_name",
        "birth_date",
        "lma_number",
        "lma_valid_until",
        "care_cannot_wait",
    ),
    CaseKind.WITHOUT_PERMIT: ("first_name", "last_name", "birth_date", "care_cannot_wait"),
    CaseKind.PROTECTED_IDENTITY: ("care_of",),
    CaseKind.OUT_OF_ASSORTMENT: ("justification",),
    # a person the register does not give LMN (PAT-1, PAT-2); not shown when the case is
    # started from a patient already in LMN (e.g. a Halland resident)
    CaseKind.OUTSIDE_REGION: ("personal_number", "first_name", "last_name"),
}


UNLISTED_PERSON_FIELDS = ("personal_number", "first_name", "last_name")


COMMON_FIELDS = ("product", "consumption_amount", "consumption_period", "instructions")


# kinds about a patient already in LMN: started from the patient overview (outside the
# region also without one, for a person the register does not give LMN)
PATIENT_KINDS = frozenset({CaseKind.OUT_OF_ASSORTMENT, CaseKind.OUTSIDE_REGION})


PATIENT_OPTIONAL_KINDS = frozenset({CaseKind.OUTSIDE_REGION})


# the domain's problem fields → this form's fields (None: shown above the form)
FIELD_MAP: dict[str, str | None] = {
    "article_number": "product",
    "product": "product",
    "consumption.amount": "consumption_amount",
    "consumption.per": "consumption_period",
    "patient_id": None,
    "kind": None,
    "status": None,
}


class CaseForm(ConsumptionFields):
    """One kind's digital form (CH-1): the faxed forms of the routine, validated when sent."""

    product = forms.ModelChoiceField(
        label=_("Produkt"),
        queryset=Product.objects.none(),
        to_field_name="article_number",
        empty_label=_("Välj produkt"),
        error_messages={
            "required": _("Välj en produkt i listan."),
            "invalid_choice": _("Välj en produkt i listan."),
        },
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    personal_number = TextField(
        label=_("Personnummer eller samordningsnummer"),
        help_text=_("Till exempel 19880214-1427"),
        required=False,
        max_length=20,
        error_messages={"max_length": _("Högst 20 tecken är tillåtna.")},
        widget=TextInput(
            {
                "class": "nhsuk-input nhsuk-input--width-10",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )
    first_name = TextField(
        label=_("Förnamn"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Högst 100 tecken är tillåtna.")},
        widget=TextInput({"autocomplete": "off"}),
    )
    last_name = TextField(
        label=_("Efternamn"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Högst 100 tecken är tillåtna.")},
        widget=TextInput({"autocomplete": "off"}),
    )
    birth_date = date_field(_("Födelsedatum"), _("ÅÅÅÅMMDD, skrivs i personnummerfältet"))
    lma_number = TextField(
        label=_("LMA-nummer"),
        help_text=_("Som på LMA-kortet, till exempel 50-008920/4"),
        required=False,
        max_length=20,
        widget=TextInput(
            {
                "class": "nhsuk-input nhsuk-input--width-10",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )
    lma_valid_until = date_field(_("LMA-kortet giltigt till"), _("ÅÅÅÅMMDD, som på kortet"))
    care_cannot_wait = forms.BooleanField(
        label=_("Vården kan inte anstå"),
        help_text=(
            _(
                "Vuxna asylsökande och personer utan tillstånd har rätt till vård som inte kan "
                "anstå. Kryssa i om du har bedömt att vården inte kan vänta. Krävs inte för barn."
            )
        ),
        required=False,
    )
    justification = TextField(
        label=_("Motivering"),
        help_text=_("Varför det upphandlade sortimentet inte tillgodoser patientens behov."),
        required=False,
        max_length=2000,
        error_messages={"max_length": _("Högst 2000 tecken är tillåtna.")},
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 4}),
    )
    care_of = TextField(
        label=_("c/o på enheten"),
        help_text=_("Namnet på den som tar emot leveransen på enheten."),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Högst 100 tecken är tillåtna.")},
        widget=TextInput({"autocomplete": "off"}),
    )

    def __init__(
        self, *args: Any, kind: str, products: Any, with_patient: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        keep = set(COMMON_FIELDS) | set(KIND_FIELDS[kind])
        if with_patient and kind in PATIENT_OPTIONAL_KINDS:
            keep -= set(UNLISTED_PERSON_FIELDS)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        field = self.fields["product"]
        field.queryset = products  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.name} ({p.article_number})"
        )


def case_initial(case: Any) -> dict[str, Any]:
    """A returned case's values, to complete (OOA-2)."""
    lma = ""
    if case.lma_number:
        lma = f"{case.lma_number[:2]}-{case.lma_number[2:]}"
        if case.lma_card_sequence:
            lma += f"/{case.lma_card_sequence}"
    return {
        "product": case.product.article_number,
        "consumption_amount": case.consumption_amount,
        "consumption_period": case.consumption_period,
        "instructions": case.instructions,
        "first_name": case.first_name,
        "last_name": case.last_name,
        "birth_date": case.birth_date.strftime("%Y%m%d") if case.birth_date else "",
        "lma_number": lma,
        "lma_valid_until": case.lma_valid_until.strftime("%Y%m%d") if case.lma_valid_until else "",
        "care_cannot_wait": bool(case.care_cannot_wait),
        "justification": case.justification,
        "care_of": case.care_of,
        "personal_number": (
            f"{case.personal_number[:8]}-{case.personal_number[8:]}" if case.personal_number else ""
        ),
    }


CONVERSION_KINDS = [
    ("personnummer", _("Personnummer eller samordningsnummer")),
    ("lma", _("LMA-nummer")),
]


class ConversionForm(forms.Form):
    """ASYL-7, UT-6: the new identity."""

    kind = forms.ChoiceField(
        label=_("Ny identitet"),
        choices=CONVERSION_KINDS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vilken sorts identitet."),
            "invalid_choice": _("Välj vilken sorts identitet."),
        },
    )
    identifier = TextField(
        label=_("Nytt nummer"),
        help_text=_("Personnummer (19121212-1212) eller LMA-nummer (50-008920/4)"),
        max_length=20,
        error_messages={"required": _("Ange det nya numret.")},
        widget=TextInput({"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = TextField(
        label=_("Förnamn (om det ändras)"),
        required=False,
        max_length=100,
        widget=TextInput({"autocomplete": "off"}),
    )
    last_name = TextField(
        label=_("Efternamn (om det ändras)"),
        required=False,
        max_length=100,
        widget=TextInput({"autocomplete": "off"}),
    )
    lma_valid_until = date_field(_("LMA-kortet giltigt till"), _("Krävs för LMA-nummer. ÅÅÅÅMMDD"))


class ContactLogForm(forms.Form):
    """OOA-3: who customer service contacted about a follow-up, and how."""

    party = forms.ChoiceField(
        label=_("Kontaktad"),
        choices=ContactLog.Party.choices,
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
        error_messages={
            "required": _("Ange vem som kontaktades."),
            "invalid_choice": _("Ange vem."),
        },
    )
    channel = forms.ChoiceField(
        label=_("Hur"),
        choices=ContactLog.Channel.choices,
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
        error_messages={"required": _("Ange hur."), "invalid_choice": _("Ange hur.")},
    )
    note = TextField(
        label=_("Anteckning (valfritt)"),
        required=False,
        max_length=1000,
        widget=TextInput({"autocomplete": "off"}),
    )


class StartCaseForm(forms.Form):
    """The start page's form for the kinds about a patient already in LMN: which kind,
    and the patient's personnummer (looked up as in the search field)."""

    kind = forms.ChoiceField(
        label=_("Ärende"),
        choices=[(k, CaseKind(k).label) for k in sorted(PATIENT_KINDS)],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vilket ärende det gäller."),
            "invalid_choice": _("Välj vilket ärende det gäller."),
        },
    )
    identifier = TextField(
        label=_("Patientens personnummer"),
        help_text=_("Till exempel 19121212-1212"),
        max_length=20,
        error_messages={"required": _("Ange patientens personnummer.")},
        widget=TextInput({"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}),
    )


class HeldDeliveryForm(forms.Form):
    """SKYDD-5, SKYDD-7: the unit's decision on a withdrawal held for a newly protected
    patient, recorded by customer service."""

    decision = forms.ChoiceField(
        label=_("Enhetens beslut"),
        choices=[
            ("unit", _("Leverera till den förskrivande enheten")),
            ("cancel", _("Makulera uttaget (bara om det inte är plockat)")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj enhetens beslut."),
            "invalid_choice": _("Välj ett beslut."),
        },
    )
    care_of = TextField(
        label=_("c/o på enheten"),
        help_text=_("Namnet på den som tar emot leveransen på enheten. Krävs för leverans."),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Högst 100 tecken är tillåtna.")},
        widget=TextInput({"autocomplete": "off"}),
    )
