"""Rendering Django form fields with NHS.UK frontend's error and hint markup."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

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
