"""The project's 404 answer: the API's error shape under /api/, our Swedish page elsewhere.

Django's default would answer an unknown API path with an HTML page; API clients branch
on codes, so they get `{"errors": [{"code": "not_found", ...}]}` as for any missing record.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"errors": [{"code": "not_found", "field": None, "message": "Hittades inte."}]},
            status=404,
        )
    return defaults.page_not_found(request, exception)
