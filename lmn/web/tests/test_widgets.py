"""The portal renders text-like inputs itself (templatetags/nhs.py, for speed): what it
renders must be what Django's own input template renders, for every kind of field and
state a form can be in."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.template import engines

from lmn.delivery.details import Speed
from lmn.web.forms.ordering import DeliveryForm, QuantitiesForm
from lmn.web.templatetags.nhs import (
    _PLAIN_INPUTS,
    nhs_checkbox,
    nhs_field,
    nhs_hidden,
    nhs_radios,
    nhs_widget,
)


class _Every(forms.Form):
    text = forms.CharField(help_text="Hjälp", max_length=40)
    optional = forms.CharField(required=False)
    number = forms.IntegerField(min_value=1)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(required=False)
    marked = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-input", "inputmode": "numeric"}),
    )


_DATA = {
    "text": '<"Göteborg" & co>',
    "number": "x",
    "email": "inte-en-adress",
    "secret": "hemligt",
    "hidden": "1",
    "day": "2026-13-01",
    "marked": "12",
}


@pytest.mark.parametrize("data", [None, _DATA, {}], ids=["unbound", "bound", "empty"])
def test_a_hidden_field_renders_as_djangos_own(data: Any) -> None:
    form = _Every(data) if data is not None else _Every(initial={"hidden": '"<42>"'})
    form.is_valid()
    assert str(nhs_hidden(form["hidden"])) == str(form["hidden"])
    with pytest.raises(TypeError):
        nhs_hidden(form["text"])


def _by_django(field: forms.BoundField) -> str:
    """nhs_widget's attributes, rendered by Django's template (as before the fast path)."""
    widget = field.field.widget
    classes = [widget.attrs.get("class", "")]
    described = [f"{field.auto_id}-hint"] if field.help_text else []
    if field.errors:
        classes.append("nhsuk-input--error")
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {"class": " ".join(c for c in classes if c)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return str(field.as_widget(attrs=attrs))


@pytest.mark.parametrize("data", [None, _DATA, {}], ids=["unbound", "bound", "empty"])
def test_every_plain_input_renders_as_djangos_template(data: Any) -> None:
    form = _Every(data, initial={"optional": "förvalt", "day": "2026-12-24"})
    if data is not None:
        form.is_valid()
    for field in form:
        assert type(field.field.widget) in _PLAIN_INPUTS
        assert str(nhs_widget(field)) == _by_django(field), field.name


@pytest.mark.parametrize("data", [None, {"street": "a" * 400, "postcode": "x", "phone": "1"}])
def test_the_ordering_forms_inputs_render_as_djangos_template(world: Any, data: Any) -> None:
    delivery = DeliveryForm(data, speeds=[Speed.STANDARD], initial={"street": "Storgatan 1"})
    quantities = QuantitiesForm(data, prescriptions=[])
    if data is not None:
        delivery.is_valid()
    plain = [f for f in [*delivery, *quantities] if type(f.field.widget) in _PLAIN_INPUTS]
    assert len(plain) >= 5
    for field in plain:
        assert str(nhs_widget(field)) == _by_django(field), field.name


# web/_field.html as a template, before nhs_field rendered it: the markup must not change
_FIELD_TEMPLATE = (
    '{% load i18n %}{% load nhs %}<div class="nhsuk-form-group{% if field.errors %}'
    ' nhsuk-form-group--error{% endif %}">\n'
    '  <label class="nhsuk-label" for="{{ field.id_for_label }}">{{'
    " label|default:field.label }}</label>\n"
    '  {% if field.help_text %}<div class="nhsuk-hint" id="{{ field.auto_id'
    ' }}-hint">{{ field.help_text }}</div>{% endif %}\n'
    '  {% if field.errors %}<span class="nhsuk-error-message" id="{{ field.auto_id'
    ' }}-error"><span class="nhsuk-u-visually-hidden">{% translate "Fel:" %}</span>'
    " {{ field.errors.0 }}</span>{% endif %}\n"
    "  {% nhs_widget field %}\n"
    "</div>\n"
)


@pytest.mark.parametrize("data", [None, _DATA, {}], ids=["unbound", "bound", "empty"])
@pytest.mark.parametrize("label", [None, "c/o på enheten", "<b>"])
def test_a_form_group_renders_as_the_template_did(data: Any, label: Any) -> None:
    form = _Every(data)
    if data is not None:
        form.is_valid()
    template = engines["django"].from_string(_FIELD_TEMPLATE)
    for field in form:
        expected = template.render({"field": field, "label": label})
        assert str(nhs_field(field, label)) == expected, field.name
        included = engines["django"].from_string(
            '{% include "web/_field.html" with field=field label=label %}'
        )
        assert included.render({"field": field, "label": label}) == expected.rstrip("\n") + (
            "\n" if expected.endswith("\n") else ""
        )


# web/_radios.html as a template, before nhs_radios rendered it
_RADIOS_TEMPLATE = (
    '{% load i18n %}{% load nhs %}<div class="nhsuk-form-group{% if field.errors %}'
    ' nhsuk-form-group--error{% endif %}">\n'
    '  <fieldset class="nhsuk-fieldset"{% if hint or field.errors %}'
    ' aria-describedby="{% if hint %}{{ field.auto_id }}-hint{% endif %}{% if'
    ' field.errors %} {{ field.auto_id }}-error{% endif %}"{% endif %}>\n'
    '    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{{'
    " field.label }}</legend>\n"
    '    {% if hint %}<div class="nhsuk-hint" id="{{ field.auto_id }}-hint">{{ hint'
    " }}</div>{% endif %}\n"
    '    {% if field.errors %}<span class="nhsuk-error-message" id="{{ field.auto_id'
    ' }}-error"><span class="nhsuk-u-visually-hidden">{% translate "Fel:" %}</span>'
    " {{ field.errors.0 }}</span>{% endif %}\n"
    '    <div class="nhsuk-radios">\n'
    "      {% for value, label, option_hint in options %}\n"
    '      <div class="nhsuk-radios__item">\n'
    '        <input class="nhsuk-radios__input" id="{{ field.auto_id }}_{{'
    ' forloop.counter0 }}" name="{{ field.html_name }}" type="radio" value="{{ value'
    ' }}"{% if value == current %} checked{% endif %}{% if option_hint %}'
    ' aria-describedby="{{ field.auto_id }}_{{ forloop.counter0 }}-hint"{% endif %}>\n'
    '        <label class="nhsuk-label nhsuk-radios__label" for="{{ field.auto_id'
    ' }}_{{ forloop.counter0 }}">{{ label }}</label>\n'
    '        {% if option_hint %}<div class="nhsuk-hint nhsuk-radios__hint" id="{{'
    ' field.auto_id }}_{{ forloop.counter0 }}-hint">{{ option_hint }}</div>{% endif'
    " %}\n"
    "      </div>\n"
    "      {% endfor %}\n"
    "    </div>\n"
    "  </fieldset>\n"
    "</div>\n"
)

_OPTIONS = [
    ("door", "Hem", ""),
    ("pickup_point", "Utlämningsställe", "Närmast <b>"),
    ("unit", "Enheten", ""),
]


class _Choose(forms.Form):
    destination = forms.ChoiceField(choices=[(v, label) for v, label, _h in _OPTIONS])


@pytest.mark.parametrize("data", [None, {"destination": "x"}, {"destination": "door"}])
@pytest.mark.parametrize("current", [None, "door", "pickup_point"])
@pytest.mark.parametrize("hint", ["", "Krävs för utlämningsställe & <ombud>"])
def test_radios_render_as_the_template_did(data: Any, current: Any, hint: str) -> None:
    form = _Choose(data)
    if data is not None:
        form.is_valid()
    field = form["destination"]
    context = {"field": field, "options": _OPTIONS, "current": current, "hint": hint}
    expected = engines["django"].from_string(_RADIOS_TEMPLATE).render(context)
    assert str(nhs_radios(field, _OPTIONS, current, hint)) == expected
    included = engines["django"].from_string('{% include "web/_radios.html" %}')
    assert included.render(context) == expected


# web/_checkbox.html as a template, before nhs_checkbox rendered it
_CHECKBOX_TEMPLATE = (
    '<div class="nhsuk-checkboxes__item">\n'
    '  <input class="nhsuk-checkboxes__input" id="{{ field.auto_id }}" name="{{'
    ' field.html_name }}" type="checkbox" value="on"{% if field.value %} checked{%'
    ' endif %}{% if field.help_text %} aria-describedby="{{ field.auto_id }}-hint"{%'
    " endif %}>\n"
    '  <label class="nhsuk-label nhsuk-checkboxes__label" for="{{ field.auto_id'
    ' }}">{{ field.label }}</label>\n'
    '  {% if field.help_text %}<div class="nhsuk-hint nhsuk-checkboxes__hint" id="{{'
    ' field.auto_id }}-hint">{{ field.help_text }}</div>{% endif %}\n'
    "</div>\n"
)


class _Ticks(forms.Form):
    plain = forms.BooleanField(required=False)
    hinted = forms.BooleanField(required=False, help_text="Syns på <dörren>")


@pytest.mark.parametrize("data", [None, {}, {"plain": "on", "hinted": "on"}])
def test_checkboxes_render_as_the_template_did(data: Any) -> None:
    form = _Ticks(data, initial={"hinted": True})
    template = engines["django"].from_string(_CHECKBOX_TEMPLATE)
    included = engines["django"].from_string('{% include "web/_checkbox.html" %}')
    for field in form:
        expected = template.render({"field": field})
        assert str(nhs_checkbox(field)) == expected, field.name
        assert included.render({"field": field}) == expected
