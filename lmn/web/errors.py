"""Putting a service's DomainError problems back on form fields."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from lmn.core.errors import DomainError


def apply_problems(
    error: DomainError,
    form: forms.Form,
    field_map: Mapping[str, str | None],
) -> None:
    """Add each problem to the form field its `field` maps to (non-field if unknown).

    A field the form itself already found wrong keeps its own message: what the domain
    says about the same field follows from it (a mistyped amount, then "too many").
    """
    parsed_wrong = set(form.errors)
    for problem in error.problems:
        target = field_map.get(problem.field or "", problem.field)
        if target not in form.fields:
            target = None
        if target is not None and target in parsed_wrong:
            continue
        form.add_error(target, problem.message)


def summary(*forms_: forms.Form) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary: each field error links to its input."""
    items: list[tuple[str, str]] = []
    for form in forms_:
        if not form.is_bound:
            continue
        for message in form.non_field_errors():
            items.append(("", str(message)))
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            bound = form[name]
            anchor = bound.id_for_label or bound.auto_id
            if isinstance(form.fields[name].widget, forms.RadioSelect):
                anchor = f"{bound.auto_id}_0"
            for message in errors:
                items.append((f"#{anchor}", str(message)))
    return items
