"""One decision form for what an administrator or customer service decides on.

Applications for access or a unit are approved or rejected (the reason is shown to the
applicant); a case may also go back to the prescriber for completion (the reason is
e-mailed to them). The two differ only in the choices and the words around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import TextField, lazy_percent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class DecisionWords:
    choices: tuple[tuple[str, StrOrPromise], ...]
    choose: StrOrPromise  # the message when no decision (or an unknown one) was sent
    reason_label: StrOrPromise
    reason_help: StrOrPromise
    reason_max: int


APPLICATION = DecisionWords(
    choices=(("approve", _("Bevilja")), ("reject", _("Avslå"))),
    choose=_("Välj bevilja eller avslå."),
    reason_label=_("Motivering"),
    reason_help=_("Krävs vid avslag. Visas för den som ansökte."),
    reason_max=500,
)
CASE = DecisionWords(
    choices=(
        ("approve", _("Godkänn")),
        ("return", _("Skicka tillbaka för komplettering")),
        ("reject", _("Avslå")),
    ),
    choose=_("Välj ett beslut."),
    reason_label=_("Skäl eller vad som ska kompletteras"),
    reason_help=_("Krävs för komplettering och avslag. Skickas till förskrivaren med e-post."),
    reason_max=2000,
)


class DecisionForm(forms.Form):
    """The decision and its reason, in the words of what is decided on."""

    def __init__(self, *args: Any, words: DecisionWords, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"] = forms.ChoiceField(
            label=_("Beslut"),
            choices=words.choices,
            widget=forms.RadioSelect,
            error_messages={"required": words.choose, "invalid_choice": words.choose},
        )
        self.fields["reason"] = TextField(
            label=words.reason_label,
            help_text=words.reason_help,
            required=False,
            max_length=words.reason_max,
            error_messages={
                "max_length": lazy_percent(_("Högst %(n)s tecken är tillåtna."), n=words.reason_max)
            },
            widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
        )
