"""The portal's one mapping of domain refusals to pages, and problems back onto forms.

A service raises `NotFound` (missing, or not visible to the actor: both answer 404) and
`PermissionDenied` (the role may not use the function: 403, the service has audited it).
Views let both propagate; `page_for_refusal` answers them for every portal view (the
ActingUnitMiddleware calls it from process_exception), as the API's exception handlers
do for the API. Views only catch `DomainError`, to put its problems onto form fields.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from lmn.core.errors import DomainError, NotFound, PermissionDenied


def shown(message: str) -> str:
    """A service's Swedish message in the reader's language.

    Services write their messages in Swedish (the API answers with them as they are);
    `make messages` collects them (Problem(code, message) and the like) into the
    catalogue, and the portal translates them here. A message built with a number or a
    name in it has no catalogue entry and stays Swedish.
    """
    return gettext(message) if message else message


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """The 403 page with the refusal's plain message."""
    return render(request, "web/forbidden.html", {"message": shown(message)}, status=403)


def page_for_refusal(request: HttpRequest, exception: Exception) -> HttpResponse | None:
    """NotFound -> the 404 page, PermissionDenied -> the 403 page; anything else: None.

    The 403 is returned (not raised) so that the audit event the service recorded for the
    refusal is kept even when the request runs in a transaction.
    """
    if isinstance(exception, NotFound):
        raise Http404("Hittades inte.") from exception
    if isinstance(exception, PermissionDenied):
        return forbidden(request, exception.message)
    return None


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
        form.add_error(target, shown(problem.message))


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
