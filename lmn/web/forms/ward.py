"""Joint orders for residents of a special-housing ward (SAM)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import (
    OpenChoiceField,
    quantity_field,
    quantity_field_name,
    text_field,
)


class JointOrderForm(forms.Form):
    """Quantities per resident and prescription, named as on the ordering page
    (`quantity_field_name`), plus the delivery contact."""

    speed = OpenChoiceField(
        label=_("Leverans"),
        choices=[("standard", _("Samleverans dagtid"))],
        initial="standard",
        required=False,
        widget=forms.RadioSelect,
    )
    contact_person = text_field(
        _("Kontaktperson på avdelningen (valfritt)"), max_length=100, required=False
    )
    phone = text_field(
        _("Telefon (valfritt)"), max_length=30, required=False, attrs={"type": "tel"}
    )
    # set on the confirmation page, so that submitting it twice places one joint order
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, prescription_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for pk in prescription_ids:
            self.fields[quantity_field_name(pk)] = quantity_field(_("Antal"))
