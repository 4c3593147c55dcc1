"""Bearer-token authentication: a token names one membership, hence one Actor."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest
from ninja.security import HttpBearer

from lmn.accounts.contact import EMAIL_GATE_MESSAGE, email_gate_closed
from lmn.accounts.services import actor_for_token
from lmn.audit.denials import authorize
from lmn.audit.services import refuse
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.authorization import RoutePolicy
from lmn.core.errors import PermissionDenied
from lmn.representation.tokens import PREFIX as PATIENT_TOKEN_PREFIX
from lmn.representation.tokens import actor_for_patient_token

_MAX_TOKEN_LENGTH = 200


class BearerToken(HttpBearer):
    def __init__(self, policies: Mapping[str, RoutePolicy]) -> None:
        """`policies`: every API route's policy (declared beside the routes, see urls.py)."""
        self.policies = policies
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        token = token.strip()
        if not token or len(token) > _MAX_TOKEN_LENGTH:
            return None
        # the e-service's tokens (a patient or their proxy) are told apart by their prefix
        patient_token = token.startswith(PATIENT_TOKEN_PREFIX)
        actor = actor_for_patient_token(token) if patient_token else actor_for_token(token)
        if actor is not None:
            match = request.resolver_match
            # 403 (audited) for a role the route's declared policy does not allow
            route = match.route if match else ""
            authorize(
                self.policies.get(route),
                route=route,
                method=request.method or "GET",
                actor=actor,
                channel="api",
            )
            # CON-3 gates the API as it gates the portal (403, audited)
            if email_gate_closed(actor, today=clock.today()):
                refuse(
                    "accounts.email_gate.denied",
                    PermissionDenied("CON-3", EMAIL_GATE_MESSAGE),
                    actor=actor,
                )
        return actor


def actor_of(request: HttpRequest) -> Actor:
    """The actor the bearer token authenticated (set by BearerToken)."""
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):  # only reachable if a route forgets auth
        raise RuntimeError("API route reached without an authenticated actor")
    return actor
