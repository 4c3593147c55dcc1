"""Small helpers the portal's views share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from lmn.core.actor import Actor
from lmn.patients.models import Patient
from lmn.patients.services import get_patient

from ..acting import Acting

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def acting_of(request: HttpRequest) -> Acting:
    acting: Acting | None = getattr(request, "acting", None)
    if acting is None:  # the middleware redirects before this; a bug if reached
        raise RuntimeError("portal view reached without an acting membership")
    return acting


def actor_of(request: HttpRequest) -> Actor:
    return acting_of(request).actor


def visible_patient(request: HttpRequest, patient_id: int, *, audit_read: bool = True) -> Patient:
    """The patient if the actor may see them (the read is audited); NotFound is a 404.

    `audit_read=False`: the view audits the read itself when it shows the patient."""
    return get_patient(patient_id, actor=actor_of(request), audit_read=audit_read)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def page_title(title: StrOrPromise, *forms_: Any) -> str:
    """Screen readers hear the error first when a form comes back with errors."""
    has_errors = any(getattr(f, "is_bound", False) and f.errors for f in forms_)
    return _("Fel: %(title)s") % {"title": title} if has_errors else str(title)
