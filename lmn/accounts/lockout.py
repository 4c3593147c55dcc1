"""django-axes hook: our login views answer a lockout themselves, in Swedish or as JSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def keep_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    assert original_response is not None
    return original_response
