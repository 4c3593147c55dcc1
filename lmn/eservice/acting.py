"""Who is logged in to the e-service, and for whom they act: one resolution per request.

The session holds only the person's identifier (from e-identification, or the training
login) and the patient chosen; the actor is resolved again on every request
(lmn.representation.queries.actor_for), so a revoked or expired power, a child turning
18 or a patient becoming protected takes effect on the next click (EPAT-1, EPAT-2).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lmn.accounts.services import actor_for as staff_actor_for
from lmn.accounts.services import memberships_of
from lmn.audit.denials import authorize
from lmn.core.actor import Actor, Role
from lmn.core.authorization import RoutePolicy
from lmn.core.errors import NotFound, PermissionDenied
from lmn.representation.queries import actor_for

View = Callable[..., HttpResponseBase]
IDENTITY = "eservice_identity"  # the logged-in person's personnummer
PATIENT = "eservice_patient"  # the pk of the patient they act for
CHANNEL = "e-tjanst"


def log_in(request: HttpRequest, identifier: str) -> None:
    """A new session for the person (the old one's key is not reused)."""
    request.session.flush()
    request.session[IDENTITY] = identifier


def act_for(request: HttpRequest, patient_id: int) -> None:
    request.session[PATIENT] = patient_id


def identity(request: HttpRequest) -> str:
    value = request.session.get(IDENTITY, "")
    return value if isinstance(value, str) else ""


def resolve(request: HttpRequest) -> Actor:
    """The actor for this request; NotFound when the choice is no longer allowed."""
    patient_id = request.session.get(PATIENT)
    if not isinstance(patient_id, int):
        raise NotFound()
    return actor_for(identity(request), patient_id)


def _staff_refusal(request: HttpRequest, policy: RoutePolicy) -> HttpResponseBase:
    """A staff user's session is not an e-service login: refused, audited (403)."""
    memberships = memberships_of(request.user)  # type: ignore[arg-type]
    actor = (
        staff_actor_for(memberships[0])
        if memberships
        else Actor(role="", hsa_id=getattr(request.user, "hsa_id", ""))
    )
    try:
        _authorize(request, policy, actor)
    except PermissionDenied as denied:
        return forbidden(request, denied.message)
    return forbidden(request, _("Logga in i e-tjänsten med e-legitimation."))


def _authorize(request: HttpRequest, policy: RoutePolicy, actor: Actor) -> None:
    match = request.resolver_match
    authorize(
        policy,
        route=match.route if match else "",
        method=request.method or "GET",
        actor=actor,
        channel=CHANNEL,
    )


def forbidden(request: HttpRequest, message: str) -> HttpResponseBase:
    return render(request, "eservice/forbidden.html", {"message": message}, status=403)


def not_found(request: HttpRequest) -> HttpResponseBase:
    return render(request, "eservice/not_found.html", status=404)


def guarded(view: View, policy: RoutePolicy, *, choose: bool = False) -> View:
    """The e-service's one check before a view runs: logged in, acting for someone the
    person may still act for, and the role allowed by the route's policy (403 audited).
    NotFound from the view answers the e-service's 404 page.

    `choose`: the page where the patient is chosen needs a login but no choice yet.
    """

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        request.eservice = None  # type: ignore[attr-defined]
        if not policy.public:
            if not identity(request):
                if request.user.is_authenticated:
                    return _staff_refusal(request, policy)
                return _to_login(request)
            if _idle_too_long(request):
                request.session.flush()
                return _to_login(request)
            if not choose:
                try:
                    actor = resolve(request)
                except NotFound:
                    request.session.pop(PATIENT, None)
                    return HttpResponseRedirect(reverse("eservice:choose"))
                try:
                    _authorize(request, policy, actor)
                except PermissionDenied as denied:
                    return forbidden(request, denied.message)
                request.eservice = actor  # type: ignore[attr-defined]
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return not_found(request)
        except PermissionDenied as denied:  # the service refused (and audited) it
            return forbidden(request, denied.message)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    wrapped.lmn_policy = policy  # type: ignore[attr-defined]
    return wrapped


_LAST_SEEN = "eservice_last_seen"


def _idle_too_long(request: HttpRequest) -> bool:
    """True when the e-service session was idle past SESSION_IDLE_SECONDS (as the portal's);
    the time is rewritten at most once a minute."""
    now = int(time.time())
    last = request.session.get(_LAST_SEEN)
    if isinstance(last, int) and now - last > settings.SESSION_IDLE_SECONDS:
        return True
    if not isinstance(last, int) or now - last >= 60:
        request.session[_LAST_SEEN] = now
    return False


def _to_login(request: HttpRequest) -> HttpResponseBase:
    return HttpResponseRedirect(reverse("eservice:login"))


def acting_role_label(actor: Actor) -> str:
    if actor.role == Role.PATIENT:
        return _("Du själv")
    if actor.role == Role.PROXY_VIEWER:
        return _("Som ombud (bara se)")
    return _("Som ombud")
