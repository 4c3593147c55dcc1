"""The voucher code customer service types or scans."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import text_field


class VoucherCodeForm(forms.Form):
    code = text_field(
        _("Talongens kod"),
        max_length=20,
        help_text=_("Tio tecken, till exempel ABCD-EFGH-JK. Skanna streckkoden eller skriv koden."),
        attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
