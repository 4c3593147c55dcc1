"""Finding a patient: by identifier, by name and birth date (UT-5), a withdrawal by number."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import (
    TextField,
    TextInput,
    date_field,
)


class PatientSearchForm(forms.Form):
    # also an LMA number (ASYL-6) or the unit's customer number (SKYDD-9)
    identifier = TextField(
        label=_("Personnummer"),
        help_text=(
            _(
                "Till exempel 19121212-1212 eller 121212-1212. Asylsökande: LMA-numret, "
                "t.ex. 50-008920. Enhetens kundnummer visar uttag för skyddade personuppgifter."
            )
        ),
        max_length=20,
        error_messages={"required": _("Ange patientens personnummer.")},
        widget=TextInput({"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}),
    )


class AdvancedSearchForm(forms.Form):
    """UT-5: name and birth date."""

    name = TextField(
        label=_("Namn"),
        help_text=_("För- och efternamn. ” - UT” kan skrivas eller utelämnas."),
        max_length=100,
        error_messages={"required": _("Ange patientens namn.")},
        widget=TextInput({"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = date_field(_("Födelsedatum"), _("ÅÅÅÅMMDD"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].error_messages["required"] = _("Ange födelsedatum.")


WITHDRAWAL_NUMBER = re.compile(r"^U\d{8}$")


class WithdrawalNumberForm(forms.Form):
    number = TextField(
        label=_("Uttagsnummer"),
        help_text=_("U följt av åtta siffror, till exempel U13201003"),
        max_length=20,
        error_messages={"required": _("Ange ett uttagsnummer.")},
        widget=TextInput({"class": "nhsuk-input nhsuk-input--width-10", "spellcheck": "false"}),
    )

    def clean_number(self) -> str:
        number = "".join(self.cleaned_data["number"].split()).upper()
        if not WITHDRAWAL_NUMBER.match(number):
            raise forms.ValidationError(
                _("Uttagsnumret ska vara U följt av åtta siffror, till exempel U13201003.")
            )
        return number
