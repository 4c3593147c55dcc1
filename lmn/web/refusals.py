"""Plain Swedish pages for requests refused before any view could answer them.

- A login flood (accounts.throttle) refused on the admin's login, which is not ours:
  429 with Retry-After. The portal's and the API's logins answer it themselves.
- A body over the upload limits (Django's RequestDataTooBig, TooManyFieldsSent,
  TooManyFilesSent, raised wherever the body is first read): 413, as a page or, under
  /api/, in the API's error shape. Django hands these to `handler400`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views import defaults

from lmn.accounts.throttle import TooManyLoginAttempts

TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
# Swedish in the API (stable); the page shows it in the reader's language
TOO_LARGE_MESSAGE = gettext_noop(
    "Begäran är för stor. Skicka mindre på en gång, till exempel färre rader."
)


def refusal_page(
    request: HttpRequest, status: int, heading: str, message: str, *, back: tuple[str, str]
) -> HttpResponse:
    context = {"title": heading, "heading": heading, "message": message}
    context["back_url"], context["back_label"] = back
    return render(request, "web/refused.html", context, status=status)


def too_large(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {
            "errors": [{"code": "request_too_large", "field": None, "message": TOO_LARGE_MESSAGE}]
        }
        return JsonResponse(body, status=413)
    return refusal_page(
        request,
        413,
        _("Begäran är för stor"),
        _(TOO_LARGE_MESSAGE),
        back=("/", _("Till startsidan")),
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a body over the limits is 413, anything else Django's plain 400."""
    if isinstance(exception, TOO_LARGE):
        return too_large(request)
    return defaults.bad_request(request, exception)


class RefusalMiddleware:
    """Turns a login flood refusal raised inside a view we do not own into a 429 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, TooManyLoginAttempts):
            response = refusal_page(
                request,
                429,
                _("För många inloggningsförsök"),
                exception.message,
                back=(request.get_full_path(), _("Tillbaka till inloggningen")),
            )
            response["Retry-After"] = str(exception.retry_after)
            return response
        if isinstance(exception, TOO_LARGE):
            return too_large(request)
        return None
