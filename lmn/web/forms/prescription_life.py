"""Forms for a prescription's life: change, renew, end, move, favourites (RX-1..RX-4).

Each action form carries the version it was based on (hidden), so a change made by
someone else in between is refused and shown rather than overwritten."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lmn.prescriptions.states import EndReason

from .fields import TextField, TextInput, numeric_input
from .prescriptions import ConsumptionFields


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10", "type": "date"})


class VersionField(forms.IntegerField):
    def __init__(self) -> None:
        super().__init__(min_value=1, widget=forms.HiddenInput)


class ChangeForm(ConsumptionFields):
    version = VersionField()
    valid_until = forms.DateField(
        label=_("Giltig till"),
        error_messages={
            "required": _("Ange ett datum."),
            "invalid": _("Ange datumet som ÅÅÅÅ-MM-DD."),
        },
        widget=_date_input(),
    )
    max_supply_days = forms.IntegerField(
        label=_("Längsta uttagsperiod i dagar"),
        min_value=1,
        error_messages={
            "required": _("Ange antal dagar som ett heltal."),
            "invalid": _("Ange antal dagar som ett heltal."),
            "min_value": _("Ange minst 1 dag."),
        },
        widget=numeric_input(),
    )


class RenewForm(forms.Form):
    version = VersionField()
    valid_until = forms.DateField(
        label=_("Ny giltighet till (valfritt)"),
        help_text=_("Lämnas tomt: den längsta giltighet som gäller för produktområdet"),
        required=False,
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
        widget=_date_input(),
    )


STOP, KEEP = "stop", "keep"


class EndForm(forms.Form):
    version = VersionField()
    reason = forms.ChoiceField(
        label=_("Varför avslutas förskrivningen?"),
        choices=[c for c in EndReason.choices if c[0] != EndReason.REPLACED],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj varför förskrivningen avslutas.")},
    )
    stop_open = forms.ChoiceField(
        label=_("Uttag som inte är plockade"),
        choices=[
            (STOP, _("Stoppa dem (makuleras)")),
            (KEEP, _("Låt dem levereras")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vad som ska hända med öppna uttag.")},
    )


class MoveForm(forms.Form):
    version = VersionField()
    to_unit = TextField(
        label=_("Mottagande enhetens kundnummer"),
        help_text=_("Sex siffror, t.ex. hemsjukvårdens kundnummer"),
        max_length=6,
        error_messages={"required": _("Ange den mottagande enhetens kundnummer.")},
        widget=TextInput({"class": "nhsuk-input nhsuk-input--width-10", "inputmode": "numeric"}),
    )
    message = TextField(
        label=_("Meddelande till mottagande enhet (valfritt)"),
        required=False,
        max_length=500,
        error_messages={"max_length": _("Högst 500 tecken är tillåtna.")},
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )


class TemplateForm(ConsumptionFields):
    article_number = TextField(
        label=_("Artikelnummer"),
        max_length=20,
        error_messages={"required": _("Ange produktens artikelnummer.")},
        widget=TextInput({"class": "nhsuk-input nhsuk-input--width-10"}),
    )
    for_unit = forms.BooleanField(label=_("Dela med hela enheten"), required=False)
