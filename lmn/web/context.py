from __future__ import annotations

from django.http import HttpRequest


def acting_unit(request: HttpRequest) -> dict[str, object]:
    """The unit and role the logged-in user acts in, for the page header."""
    return {"acting": getattr(request, "acting", None)}
