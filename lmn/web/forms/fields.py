"""The portal's field and widget building blocks, shared by every form.

The text field stores the NFC form and measures its length there: NFC can lengthen a
text ("\\u0958" becomes two characters), so a value that fits before normalising might
not fit its column after it; the API does the same (lmn/api/fields.py), so both
channels store one form of a name.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TextField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        # max_length and the other validators run on what this returns
        text = super().to_python(value)
        return unicodedata.normalize("NFC", text) if text else text


class TextInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"class": "nhsuk-input", **(attrs or {})})


class OpenChoiceField(forms.ChoiceField):
    """Shows its choices, but passes any value on: the domain refuses (and audits) a forged one."""

    def valid_value(self, value: Any) -> bool:
        return True


class OpenMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def lazy_percent(message: StrOrPromise, **values: Any) -> StrOrPromise:
    """`message % values`, translated when shown: a form's texts are made at import,
    before anyone has chosen a language."""
    return lazy(lambda: str(message) % values, str)()


def text_field(
    label: StrOrPromise, *, max_length: int, required: bool = True, **kw: Any
) -> forms.CharField:
    attrs = kw.pop("attrs", {})
    return TextField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": _("Fältet måste fyllas i."),
            "max_length": lazy_percent(_("Högst %(n)s tecken är tillåtna."), n=max_length),
        },
        widget=TextInput(attrs),
        **kw,
    )


DATE_FORMATS = ["%Y%m%d", "%Y-%m-%d"]


DATE_ERRORS = {"invalid": _("Ange datumet som ÅÅÅÅMMDD, till exempel 19900501.")}


def date_field(
    label: StrOrPromise, help_text: StrOrPromise = "", *, required: bool = False
) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        input_formats=DATE_FORMATS,
        error_messages=DATE_ERRORS,
        widget=TextInput(
            {
                "class": "nhsuk-input nhsuk-input--width-10",
                "inputmode": "numeric",
                "autocomplete": "off",
            }
        ),
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


QUANTITY_ERRORS = {
    "invalid": _("Ange antalet som ett heltal."),
    "min_value": _("Antalet kan inte vara negativt."),
    "max_value": _("Antalet är för stort."),
}


def quantity_field(label: StrOrPromise) -> forms.IntegerField:
    """An order quantity: blank or 0 is "not this time", letters are reported."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages=QUANTITY_ERRORS,
        widget=numeric_input(),
    )


# one name for an order quantity per prescription, on the ordering and joint-order pages
_QUANTITY_NAME = re.compile(r"^qty_(\d{1,18})$")


def quantity_field_name(prescription_id: int) -> str:
    return f"qty_{prescription_id}"


def quantity_prescription_id(name: str) -> int | None:
    """The prescription id a quantity field's name carries, or None if it is not one."""
    match = _QUANTITY_NAME.match(name)
    return int(match.group(1)) if match else None
