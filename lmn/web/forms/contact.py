"""Contact details of the user (CON) and customer service's mailings to prescribers (CON-4)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .access import area_choices
from .fields import (
    OpenMultipleChoiceField,
    TextField,
    text_field,
)


class ContactDetailsForm(forms.Form):
    """The user's own phone and e-mail (CON-1, CON-2)."""

    phone = text_field(
        _("Direktnummer"),
        max_length=30,
        required=False,
        help_text=_("Ett nummer där du själv svarar, inte växeln."),
        attrs={"type": "tel", "autocomplete": "tel"},
    )
    phone_is_switchboard = forms.BooleanField(label=_("Numret går till en växel"), required=False)
    email = text_field(
        _("E-postadress"),
        max_length=254,
        required=False,
        help_text=_("En ändrad adress bekräftar du med en länk som skickas till den."),
        attrs={"type": "email", "autocomplete": "email", "spellcheck": "false"},
    )


class MailingForm(forms.Form):
    subject = text_field(_("Rubrik"), max_length=200)
    body = TextField(
        label=_("Meddelande"),
        max_length=10_000,
        error_messages={
            "required": _("Skriv meddelandet."),
            "max_length": _("Meddelandet är för långt."),
        },
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 8}),
    )
    areas = OpenMultipleChoiceField(
        label=_("Produktområden"),
        help_text=_("Inget valt: förskrivare i alla produktområden."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = text_field(
        _("Kundnummer (valfritt)"),
        max_length=500,
        required=False,
        help_text=_("Sexsiffriga kundnummer åtskilda med komma. Tomt: alla enheter."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = area_choices()  # type: ignore[attr-defined]

    def unit_numbers(self) -> list[str]:
        raw = self.cleaned_data.get("units") or ""
        return [n for n in raw.replace(";", ",").replace(" ", ",").split(",") if n]
