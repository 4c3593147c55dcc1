"""Patient login through the region's e-identification (BankID, Freja) over OIDC.

Pluggable like the staff login (lmn/accounts/oidc.py): the same library, its own
settings (LMN_ESERVICE_OIDC_*, read as ESERVICE_OIDC_*), and no Django user: the
personnummer claim becomes the e-service session's identity (lmn.eservice.acting), and
who that person may act for is decided on every request (EPAT-1, EPAT-2).
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from lmn.core.errors import DomainError
from lmn.patients.identifiers import parse_personal_number


class PatientOidc(OIDCAuthenticationBackend):  # type: ignore[misc]
    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return import_from_settings("ESERVICE_" + attr, *args)

    def identity(self, *, code: str, nonce: str, redirect_uri: str) -> str | None:
        """The personnummer the provider asserts for this login, or None."""
        tokens = self.get_token(
            {
                "client_id": self.OIDC_RP_CLIENT_ID,
                "client_secret": self.OIDC_RP_CLIENT_SECRET,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
            }
        )
        claims = dict(self.verify_token(tokens.get("id_token", ""), nonce=nonce))
        if settings.ESERVICE_OIDC_PNR_CLAIM not in claims and self.OIDC_OP_USER_ENDPOINT:
            claims.update(self.get_userinfo(tokens.get("access_token", ""), None, None))
        return personnummer_from_claims(claims, claim=settings.ESERVICE_OIDC_PNR_CLAIM)


def personnummer_from_claims(claims: dict[str, Any], *, claim: str) -> str | None:
    """The 12-digit personnummer in the claim, or None if absent or not a valid one."""
    raw = claims.get(claim)
    if not isinstance(raw, str):
        return None
    try:
        return parse_personal_number(raw).canonical
    except DomainError:
        return None


def authorization_url(*, redirect_uri: str) -> tuple[str, str, str]:
    """(url, state, nonce) for sending the browser to the provider."""
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.ESERVICE_OIDC_RP_CLIENT_ID,
            "scope": settings.ESERVICE_OIDC_RP_SCOPES,
            "redirect_uri": redirect_uri,
            "state": state,
            "nonce": nonce,
        }
    )
    return f"{settings.ESERVICE_OIDC_OP_AUTHORIZATION_ENDPOINT}?{query}", state, nonce
