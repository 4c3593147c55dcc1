"""Sets `request.acting` for the portal's views and sends users to log in or choose a unit.

Applied to the portal's views (see `urls.py`) rather than globally, so the admin and
the REST API, which authenticate differently, are untouched. It can equally be listed
in MIDDLEWARE after AuthenticationMiddleware: it only acts on views marked below.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from lmn.accounts.contact import email_gate_closed
from lmn.audit.denials import authorize
from lmn.core import clock
from lmn.core.authorization import RoutePolicy
from lmn.core.errors import PermissionDenied

from . import acting as acting_mod
from .errors import forbidden, page_for_refusal

View = Callable[..., HttpResponseBase]


def public(view: View) -> View:
    """Mark a view that needs no login (the login page)."""
    view.lmn_public = True  # type: ignore[attr-defined]
    return view


def unit_optional(view: View) -> View:
    """Mark a view that a logged-in user may use before choosing a unit."""
    view.lmn_unit_optional = True  # type: ignore[attr-defined]
    return view


def email_gate_exempt(view: View) -> View:
    """Mark a view a prescriber may use before verifying their e-mail (CON-3)."""
    view.lmn_email_gate_exempt = True  # type: ignore[attr-defined]
    return view


def _must_verify_email(view_func: Any, acting: acting_mod.Acting) -> bool:
    """CON-3: a prescribing user goes no further until the e-mail address is verified."""
    if getattr(view_func, "lmn_email_gate_exempt", False):
        return False
    return email_gate_closed(acting.actor, today=clock.today())


def portal(view: View, policy: RoutePolicy) -> View:
    """Mark a view of the portal with who may use it: the middleware acts only on these.

    One view serves one route, so one policy: a second, different one is a mistake.
    """
    if getattr(view, "lmn_policy", policy) != policy:
        raise ImproperlyConfigured(f"{view.__name__} is routed twice with different policies")
    view.lmn_portal = True  # type: ignore[attr-defined]
    view.lmn_policy = policy  # type: ignore[attr-defined]
    return view


class ActingUnitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Any,
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        request.acting = None  # type: ignore[attr-defined]
        if not getattr(view_func, "lmn_portal", False) or getattr(view_func, "lmn_public", False):
            return None
        if not request.user.is_authenticated:
            return _redirect("web:login", request)
        if _idle_too_long(request):
            logout(request)
            messages.info(request, "Du loggades ut efter en stund utan aktivitet.")
            return _redirect("web:login", request)
        acting, memberships = acting_mod.resolve(request, request.user)
        request.acting = acting  # type: ignore[attr-defined]
        if acting is not None:
            match = request.resolver_match
            try:
                authorize(
                    getattr(view_func, "lmn_policy", None),
                    route=match.route if match else "",
                    method=request.method or "GET",
                    actor=acting.actor,
                    channel="web",
                )
            except PermissionDenied as denied:
                return forbidden(request, denied.message)
            if _must_verify_email(view_func, acting):
                return HttpResponseRedirect(reverse("web:confirm_email"))
            return None
        if getattr(view_func, "lmn_unit_optional", False):
            return None
        if not memberships:
            return render(request, "web/no_access.html", status=403)
        return _redirect("web:choose_unit", request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        """The portal's single place that turns NotFound/PermissionDenied into pages."""
        return page_for_refusal(request, exception)


_LAST_SEEN = "lmn_last_seen"


def _idle_too_long(request: HttpRequest) -> bool:
    """True when the session was idle past SESSION_IDLE_SECONDS; else note this request.

    The timestamp is rewritten at most once a minute, so reading pages does not turn
    every request into a session write.
    """
    now = int(time.time())
    last = request.session.get(_LAST_SEEN)
    if isinstance(last, int) and now - last > settings.SESSION_IDLE_SECONDS:
        return True
    if not isinstance(last, int) or now - last >= 60:
        request.session[_LAST_SEEN] = now
    return False


def _redirect(name: str, request: HttpRequest) -> HttpResponse:
    target = reverse(name)
    if request.method == "GET" and request.get_full_path() != "/":
        target += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(target)
