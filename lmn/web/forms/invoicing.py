"""Forms of LMN administration's invoicing and price list pages (INV-1, INV-2)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import text_field

REQUIRED = {"required": _("Fältet måste fyllas i.")}


class RunForm(forms.Form):
    month = forms.CharField(
        label=_("Månad att fakturera"),
        help_text=_("Skriv som ÅÅÅÅ-MM, till exempel 2026-10."),
        max_length=7,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CreditForm(forms.Form):
    whole = forms.BooleanField(
        label=_("Kreditera hela fakturan (det som inte redan krediterats)"), required=False
    )
    position = forms.IntegerField(
        label=_("Radnummer"), required=False, min_value=1,
        error_messages={"invalid": _("Ange radens nummer."), "min_value": _("Ange radens nummer.")},
    )  # fmt: skip
    quantity = forms.DecimalField(
        label=_("Antal att kreditera"), required=False, max_digits=12, decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"invalid": _("Ange ett antal, till exempel 2."),
                        "min_value": _("Ange ett antal större än noll.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip
    reason = text_field(_("Orsak"), max_length=200)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("whole") and not self.errors:
            if not data.get("position"):
                self.add_error("position", _("Ange radens nummer, eller kreditera hela fakturan."))
            if not data.get("quantity"):
                self.add_error("quantity", _("Ange antal att kreditera."))
        return data


class PriceListForm(forms.Form):
    file = forms.FileField(
        label=_("Prislista (CSV eller Excel)"),
        help_text=_("Kolumner: artikelnummer, pris, giltig_fran (ÅÅÅÅ-MM-DD), moms (procent)."),
        error_messages={"required": _("Välj en fil."), "empty": _("Filen är tom.")},
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Filen ska vara en CSV- eller Excelfil (.xlsx)."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Filen får vara högst 20 MB."))
        return upload
