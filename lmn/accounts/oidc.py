"""Staff login through the region's identity provider (SITHS via OIDC), mapped by HSA-id.

Enabled when LMN_OIDC_CLIENT_ID is set (see settings). A user must already exist with
the HSA-id the provider asserts: access comes from approved applications, never from
a first login, so `create_user` refuses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User
from .services import may_log_in


class HsaIdBackend(OIDCAuthenticationBackend):
    @property
    def claim(self) -> str:
        return str(getattr(settings, "LMN_OIDC_HSA_CLAIM", "hsa_id"))

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(str(claims.get(self.claim, "")).strip())

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        hsa_id = str(claims.get(self.claim, "")).strip()
        if not hsa_id:
            return User.objects.none()
        users = User.objects.filter(hsa_id=hsa_id, is_active=True)
        # training logins exist only while training, on this path as on every other
        return users.filter(pk__in=[u.pk for u in users if may_log_in(u)])

    def create_user(self, claims: dict[str, Any]) -> None:
        return None  # no access without an approved application (ACC-1)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user
