"""POST /auth/token: log in to one unit, get a bearer token."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, StringConstraints

from lmn.accounts.services import (
    AccountLocked,
    actor_for,
    issue_token,
    login_user,
    membership_for,
)
from lmn.api.errors import ApiError, ErrorsOut
from lmn.api.fields import Text200
from lmn.audit.models import AuditEvent
from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.core.authorization import RoutePolicy, public_route
from lmn.core.errors import PermissionDenied

router = Router(tags=["auth"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
POLICIES: dict[str, RoutePolicy] = {
    "/token": public_route(),
}

# who tried to log in is unknown until the password checks out
_ANONYMOUS = Actor(role="anonym", hsa_id="api:anonymous")


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    username: Text200
    password: Annotated[str, StringConstraints(max_length=1000)]
    unit: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] | None = None


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorsOut, 403: ErrorsOut, 422: ErrorsOut, 429: ErrorsOut},
    summary="Logga in och få en token för en enhet",
)
def issue(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """`unit` is the 6-digit customer number; leave it out for unit-less roles."""
    data = {"username": payload.username, "unit": payload.unit}
    try:
        user = login_user(payload.username, payload.password, request=request)
    except AccountLocked as locked:
        record(
            "accounts.login.locked",
            actor=_ANONYMOUS,
            outcome=AuditEvent.Outcome.DENIED,
            channel="api",
            data=data,
        )
        raise ApiError(429, "account_locked", locked.message) from None
    if user is None:
        record(
            "accounts.login.failed",
            actor=_ANONYMOUS,
            outcome=AuditEvent.Outcome.DENIED,
            channel="api",
            data=data,
        )
        raise ApiError(401, "invalid_credentials", "Fel användarnamn eller lösenord.")
    try:
        membership = membership_for(user, payload.unit)
    except PermissionDenied:
        record(
            "accounts.login.no_access",
            actor=Actor(role="", hsa_id=user.hsa_id or f"user:{user.pk}", user=user),
            outcome=AuditEvent.Outcome.DENIED,
            channel="api",
            data=data,
        )
        raise
    key, expires = issue_token(membership)
    # a token is a login: this resets django-axes' failure count and sets last_login
    user_logged_in.send(sender=type(user), request=request, user=user)
    record("accounts.login.succeeded", actor=actor_for(membership), channel="api", data=data)
    return TokenOut(token=key, expires_at=expires)
