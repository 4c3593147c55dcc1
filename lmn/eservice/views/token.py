"""A REST API key for the patient's own apps: the same API, only this patient's data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lmn.representation.tokens import issue_patient_token

from .pages import _actor


def api_key(request: HttpRequest) -> HttpResponse:
    """GET explains; POST issues a key, shown once."""
    if request.method != "POST":
        return render(request, "eservice/api_key.html", {})
    key, expires = issue_patient_token(actor=_actor(request))
    return render(request, "eservice/api_key.html", {"key": key, "expires": expires})
