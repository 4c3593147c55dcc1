"""The help page: whom to call and the routine's guides, per role; open without login."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import acting as acting_mod
from ..help import all_guides, contacts, guides_for
from ..middleware import public


@public
@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    role = None
    if request.user.is_authenticated:
        # the header shows who is signed in, as on every other page
        request.acting, _memberships = acting_mod.resolve(request, request.user)  # type: ignore[attr-defined]
        if request.acting is not None:  # type: ignore[attr-defined]
            role = request.acting.actor.role  # type: ignore[attr-defined]
    own = guides_for(role)
    others = [g for g in all_guides() if g not in own]
    return render(
        request,
        "web/help.html",
        {"title": _("Hjälp och kontakt"), "contacts": contacts(), "own": own, "others": others},
    )
