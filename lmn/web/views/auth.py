"""Logging in and out, and choosing the unit and role to act in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lmn.accounts.services import AccountLocked, login_user, memberships_of
from lmn.accounts.throttle import TooManyLoginAttempts
from lmn.audit.services import record
from lmn.core.actor import Actor, Role

from .. import acting as acting_mod
from ..errors import shown, summary
from ..forms.auth import ChooseUnitForm, LoginForm
from ..middleware import public, unit_optional
from .common import page_title, safe_next

LOGIN_FAILED = gettext_lazy("Fel användarnamn eller lösenord.")


def _user_actor(user: object) -> Actor:
    """Who logged in, before any unit is chosen (for the audit trail)."""
    hsa_id = getattr(user, "hsa_id", "") or f"user:{getattr(user, 'pk', '')}"
    return Actor(role="", hsa_id=hsa_id, user=user)


def _authenticate(request: HttpRequest, username: str, password: str) -> tuple[Any, str]:
    """(user, "") on success, else (None, the Swedish reason), with the refusal audited."""
    try:
        user = login_user(username, password, request=request)
    except AccountLocked as locked:
        action, message = "accounts.login.locked", shown(locked.message)
    else:
        if user is not None:
            return user, ""
        action, message = "accounts.login.failed", str(LOGIN_FAILED)
    record(
        action,
        actor=Actor.system("web-login"),
        outcome="denied",
        channel="web",
        data={"username": username[:150]},
    )
    return None, message


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.user.is_authenticated:
        return redirect("web:home")
    form = LoginForm(request.POST if request.method == "POST" else None)
    status, retry_after = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            user, refusal = _authenticate(
                request, form.cleaned_data["username"], form.cleaned_data["password"]
            )
        except TooManyLoginAttempts as flood:
            user, refusal = None, flood.message
            status, retry_after = 429, flood.retry_after
        if user is None:
            form.add_error(None, refusal)
        else:
            login(request, user)  # rotates the session key (session fixation)
            record("accounts.login.succeeded", actor=_user_actor(user), channel="web")
            return HttpResponseRedirect(safe_next(request, reverse("web:home")))
    response = render(
        request,
        "web/login.html",
        {
            "form": form,
            "error_items": summary(form),
            "title": page_title(_("Logga in"), form),
            "next": safe_next(request, ""),
        },
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record("accounts.logout", actor=_user_actor(request.user), channel="web")
    logout(request)
    messages.info(request, "Du är utloggad.")
    return redirect("web:login")


@unit_optional
@require_http_methods(["GET", "POST"])
def choose_unit(request: HttpRequest) -> HttpResponse:
    memberships = memberships_of(request.user)  # type: ignore[arg-type]
    choices = [
        (
            m.pk,
            f"{m.unit.name} ({m.unit.customer_number})" if m.unit else _("Hela regionen"),
        )
        for m in memberships
    ]
    roles = {m.pk: Role.LABELS.get(m.role, m.role) for m in memberships}
    current = request.session.get(acting_mod.SESSION_KEY)
    form = ChooseUnitForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={"membership": current},
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in memberships if m.pk == form.cleaned_data["membership"])
        acting_mod.choose(request, chosen)
        return HttpResponseRedirect(safe_next(request, reverse("web:home")))
    options = [(pk, label, roles[pk]) for pk, label in choices]
    return render(
        request,
        "web/choose_unit.html",
        {
            "form": form,
            "options": options,
            "selected": form["membership"].value(),
            "error_items": summary(form),
            "title": page_title(_("Välj enhet"), form),
            "next": safe_next(request, ""),
        },
    )
