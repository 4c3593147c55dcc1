"""Logging in and choosing the unit and role to act in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import (
    TextField,
    TextInput,
)


class LoginForm(forms.Form):
    username = TextField(
        label=_("Användarnamn"),
        max_length=150,
        error_messages={"required": _("Ange ditt användarnamn.")},
        widget=TextInput({"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Lösenord"),
        max_length=256,
        strip=False,
        error_messages={"required": _("Ange ditt lösenord.")},
        widget=forms.PasswordInput(
            attrs={"class": "nhsuk-input", "autocomplete": "current-password"}
        ),
    )


class ChooseUnitForm(forms.Form):
    membership = forms.TypedChoiceField(
        label=_("Enhet och roll"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj den enhet och roll du vill arbeta i."),
            "invalid_choice": _("Välj en av dina enheter."),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = choices  # type: ignore[attr-defined]
