"""One wrapper per FHIR endpoint: authenticate with the API's bearer tokens, enforce the
route's declared policy, run the view, and map every refusal onto an OperationOutcome.

POLICIES is filled by lmn.fhir.urls beside the routes; BearerToken (lmn.api.auth) checks
it for the resolved route (403, audited) exactly as for the REST API.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from lmn.api.auth import BearerToken
from lmn.core.actor import Actor
from lmn.core.authorization import RoutePolicy
from lmn.core.errors import DomainError, NotFound, PermissionDenied, Problem
from lmn.withdrawals.services import IdempotencyConflict

from .outcome import FhirError, refusal

logger = logging.getLogger(__name__)

# every FHIR route (as Django resolves it) and its policy, declared in lmn.fhir.urls
POLICIES: dict[str, RoutePolicy] = {}
# the HTTP methods each route answers (for the authorization matrix and 405s)
METHODS: dict[str, tuple[str, ...]] = {}
_bearer = BearerToken(POLICIES)

View = Callable[..., HttpResponse]
NOT_FOUND = Problem("not_found", "Hittades inte.")


def endpoint(methods: tuple[str, ...], *, public: bool = False) -> Callable[[View], View]:
    """Wrap a view `view(request, actor, **kwargs)` (actor None for a public route)."""

    def wrap(view: View) -> View:
        @csrf_exempt  # bearer tokens, no cookies: nothing for CSRF to protect
        @wraps(view)
        def run(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return refusal(
                    405,
                    [Problem("method_not_allowed", "Metoden stöds inte här.")],
                    issue_type="not-supported",
                    Allow=", ".join(methods),
                )
            try:
                actor = None if public else _authenticate(request)
                return view(request, actor, **kwargs)
            except Exception as exc:
                return _refused(exc)

        return run

    return wrap


def _authenticate(request: HttpRequest) -> Actor:
    actor = _bearer(request)  # a refused role raises PermissionDenied, already audited
    if not isinstance(actor, Actor):
        raise FhirError(
            401,
            "not_authenticated",
            "Logga in: ange en giltig token i Authorization: Bearer <token>.",
            issue_type="login",
        )
    return actor


def _refused(exc: Exception) -> HttpResponse:
    if isinstance(exc, FhirError):
        headers = {"WWW_Authenticate": "Bearer"} if exc.status == 401 else {}
        return refusal(exc.status, exc.problems, issue_type=exc.issue_type, **headers)
    if isinstance(exc, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE (settings)
        message = "Begäran är för stor."
        return refusal(413, [Problem("request_too_large", message)], issue_type="too-costly")
    if isinstance(exc, DomainError):
        return refusal(422, exc.problems, issue_type="business-rule")
    if isinstance(exc, (NotFound, Http404)):
        return refusal(404, [NOT_FOUND], issue_type="not-found")
    if isinstance(exc, PermissionDenied):
        return refusal(403, [Problem(exc.code, exc.message)], issue_type="forbidden")
    if isinstance(exc, IdempotencyConflict):
        message = "Identifieraren eller Idempotency-Key har redan använts för en annan beställning."
        return refusal(409, [Problem("idempotency_key_reused", message)], issue_type="conflict")
    # never a traceback to a client; the log has the details (no patient data in it)
    logger.exception("Unhandled FHIR error")
    return refusal(
        500,
        [Problem("internal_error", "Något gick fel hos oss. Försök igen om en stund.")],
        issue_type="exception",
    )
