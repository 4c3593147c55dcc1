"""The language switch in the header: Django's set_language behind the portal's policy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ..middleware import public


@public  # before logging in too: the login page has the switch
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language (a cookie) and go back to the page the form was on."""
    return django_set_language(request)
