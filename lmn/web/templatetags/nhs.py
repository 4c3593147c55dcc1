"""Rendering Django form fields with NHS.UK frontend's error and hint markup."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from lmn.delivery.details import Destination, Speed
from lmn.web.forms import fields
from lmn.web.forms.ordering import NOTIFY_LABELS

register = template.Library()


def _esc(value: Any) -> str:
    """django.utils.html.conditional_escape, without its lazy-argument wrapper: a page of
    form fields escapes a few hundred values, and the wrapper cost more than escaping."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _format_html(format_string: str, *args: Any) -> SafeString:
    """django.utils.html.format_html (positional arguments), escaping with _esc."""
    return SafeString(format_string.format(*[_esc(a) for a in args]))


_ERROR_CLASS = {
    forms.Select: "nhsuk-select--error",
    forms.Textarea: "nhsuk-textarea--error",
}


def _group(field: forms.BoundField) -> str:
    return "nhsuk-form-group nhsuk-form-group--error" if field.errors else "nhsuk-form-group"


def _hint(field_id: str, hint: Any) -> SafeString | str:
    if not hint:
        return ""
    return _format_html('<div class="nhsuk-hint" id="{}-hint">{}</div>', field_id, hint)


def _error(field: forms.BoundField) -> SafeString | str:
    """The field's first error, announced as an error to screen readers."""
    if not field.errors:
        return ""
    return _format_html(
        '<span class="nhsuk-error-message" id="{}-error">'
        '<span class="nhsuk-u-visually-hidden">{}</span> {}</span>',
        field.auto_id, gettext("Fel:"), field.errors[0],
    )  # fmt: skip


@register.simple_tag
def nhs_field(field: forms.BoundField, label: Any = None) -> SafeString:
    """A form group: label, hint, error message and the input (web/_field.html).

    Rendered here rather than by a template include: the ordering page has eight of
    them, and an include cost more than the markup (lmn/web/tests/test_widgets.py holds
    the template this must render alike)."""
    return _format_html(
        '<div class="{}">\n  <label class="nhsuk-label" for="{}">{}</label>\n  {}\n  {}\n'
        "  {}\n</div>\n",
        _group(field), field.id_for_label, label or field.label,
        _hint(field.auto_id, field.help_text), _error(field), nhs_widget(field),
    )  # fmt: skip


@register.simple_tag
def nhs_radios(
    field: forms.BoundField, options: Any, current: Any = None, hint: Any = ""
) -> SafeString:
    """Radios with legend, hint and error (web/_radios.html), rendered here as nhs_field
    is; `options` are (value, label, hint) of each radio."""
    fid = field.auto_id
    described = ""
    if hint or field.errors:
        ids = (f"{fid}-hint" if hint else "") + (f" {fid}-error" if field.errors else "")
        described = _format_html(' aria-describedby="{}"', ids)
    items = []
    for i, (value, label, option_hint) in enumerate(options):
        item = f"{fid}_{i}"
        items.append(
            _format_html(
                '\n      <div class="nhsuk-radios__item">\n        <input class='
                '"nhsuk-radios__input" id="{}" name="{}" type="radio" value="{}"{}{}>'
                '\n        <label class="nhsuk-label'
                ' nhsuk-radios__label" for="{}">{}</label>\n        {}\n      </div>\n      ',
                item, field.html_name, value,
                mark_safe(" checked") if value == current else "",  # a constant
                _format_html(' aria-describedby="{}-hint"', item) if option_hint else "",
                item, label,
                _format_html('<div class="nhsuk-hint nhsuk-radios__hint" id="{}-hint">{}</div>',
                            item, option_hint) if option_hint else "",
            )
        )  # fmt: skip
    return _format_html(
        '<div class="{}">\n  <fieldset class="nhsuk-fieldset"{}>\n    <legend class="nhsuk-fieldset'
        '__legend nhsuk-fieldset__legend--s">{}</legend>\n    {}\n    {}\n    <div class="nhsuk-'
        'radios">\n      {}\n    </div>\n  </fieldset>\n</div>\n',
        _group(field), described, field.label, _hint(fid, hint), _error(field),
        mark_safe("".join(items)),  # noqa: S308  # each item built by _format_html
    )  # fmt: skip


@register.simple_tag
def nhs_checkbox(field: forms.BoundField) -> SafeString:
    """One checkbox with its label and hint (web/_checkbox.html), rendered as nhs_field is."""
    fid = field.auto_id
    return _format_html(
        '<div class="nhsuk-checkboxes__item">\n  <input class="nhsuk-checkboxes__input" id="{}"'
        ' name="{}" type="checkbox" value="on"{}{}>\n  <label class="nhsuk-label nhsuk-'
        'checkboxes__label" for="{}">{}</label>\n  {}\n</div>\n',
        fid, field.html_name,
        mark_safe(" checked") if field.value() else "",  # a constant
        _format_html(' aria-describedby="{}-hint"', fid) if field.help_text else "",
        fid, field.label,
        _format_html('<div class="nhsuk-hint nhsuk-checkboxes__hint" id="{}-hint">{}</div>',
                    fid, field.help_text) if field.help_text else "",
    )  # fmt: skip


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
    if type(widget) in _PLAIN_INPUTS:
        return _plain_input(field, widget, attrs)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def nhs_hidden(field: forms.BoundField) -> SafeString:
    """A hidden field exactly as `{{ field }}` renders it, without Django's three widget
    templates (they took 0.3 ms of the ordering page for its idempotency key)."""
    widget = field.field.widget
    if type(widget) is not forms.HiddenInput:
        raise TypeError("nhs_hidden renders a HiddenInput")
    return _plain_input(field, widget, {})


# text-like inputs: rendered here, as Django's input template would render them (every
# field of the ordering page is checked against it in test_widgets.py); a template
# per input was a third of the page's rendering time
_PLAIN_INPUTS = frozenset(
    {
        forms.TextInput,
        forms.NumberInput,
        forms.EmailInput,
        forms.URLInput,
        forms.PasswordInput,
        forms.HiddenInput,
        forms.DateInput,
        fields.TextInput,  # the portal's, with the design system's class
    }
)


def _plain_input(
    field: forms.BoundField, widget: forms.widgets.Input, attrs: dict[str, str | bool]
) -> SafeString:
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    final = widget.build_attrs(widget.attrs, attrs)
    value = widget.format_value(field.value())
    if isinstance(widget, forms.PasswordInput) and not widget.render_value:
        value = None
    shown = "".join(
        f" {_esc(name)}" if v is True else f' {_esc(name)}="{_esc(v)}"'
        for name, v in final.items()
        if v is not False
    )
    value_attr = SafeString(f' value="{_esc(value)}"') if value is not None else ""
    return _format_html(
        '<input type="{}" name="{}"{}{}>', widget.input_type, field.html_name, value_attr,
        mark_safe(shown),  # noqa: S308  # each name and value escaped just above
    )  # fmt: skip


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
