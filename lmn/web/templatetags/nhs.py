"""Rendering Django form fields with NHS.UK frontend's error and hint markup."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from lmn.delivery.details import Destination, Speed
from lmn.web.forms.ordering import NOTIFY_LABELS

register = template.Library()

_ERROR_CLASS = {
    forms.Select: "nhsuk-select--error",
    forms.Textarea: "nhsuk-textarea--error",
}


@register.simple_tag
def nhs_widget(field: forms.BoundField) -> SafeString:
    """The field's input with the error class and aria-describedby for hint and error."""
    widget = field.field.widget
    classes = [widget.attrs.get("class", "")]
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        classes.append(
            next(
                (c for kind, c in _ERROR_CLASS.items() if isinstance(widget, kind)),
                "nhsuk-input--error",
            )
        )
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": " ".join(c for c in classes if c)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def area_tag_colour(area_code: str) -> str:
    return {
        "diabetes": "nhsuk-tag--blue",
        "incontinence": "nhsuk-tag--purple",
        "nutrition": "nhsuk-tag--green",
        "tube_feeding": "nhsuk-tag--aqua-green",
        "stoma": "nhsuk-tag--orange",
    }.get(area_code, "nhsuk-tag--grey")


@register.filter
def kronor(amount: Decimal | int | None) -> str:
    """An amount in kronor the Swedish way: 1 250 kr, 99,50 kr (non-breaking spaces)."""
    if amount is None:
        return ""
    value = Decimal(amount).quantize(Decimal("0.01"))
    whole, _point, ore = f"{value:,.2f}".partition(".")
    whole = whole.replace(",", "\u00a0")
    return f"{whole}\u00a0kr" if ore == "00" else f"{whole},{ore}\u00a0kr"


@register.filter
def destination_label(code: str) -> str:
    return str(Destination.LABELS.get(code, code))


@register.filter
def speed_label(code: str) -> str:
    return str(Speed.LABELS.get(code, code))


@register.filter
def notify_label(code: str) -> str:
    return str(NOTIFY_LABELS.get(code, code))


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
