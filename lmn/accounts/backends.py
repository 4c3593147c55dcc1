"""Authentication backends, in the order settings.AUTHENTICATION_BACKENDS lists them.

Every password login (portal, admin, API token) goes through django.contrib.auth's
`authenticate`, so these apply on each path: `LoginThrottleBackend` (first) counts the
attempt before any password hash runs; `LmnModelBackend` refuses users who may not
log in now, at login and at every session lookup.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from lmn.core.prepared import Prepared

from .models import User
from .services import may_log_in
from .throttle import admit_login_attempt, client_address


class LoginThrottleBackend:
    """Authenticates nobody: raises TooManyLoginAttempts past the limits (see throttle).

    The exception is not PermissionDenied on purpose: `authenticate` lets it through, so
    the caller answers 429 with Retry-After instead of "wrong password".
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if username is not None and password is not None:
            admit_login_attempt(client_address(request))
        return None


# every portal request loads its user: one compiled statement (core.prepared)
_user_by_id = Prepared(lambda pk: User.objects.filter(pk=pk))


class LmnModelBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return may_log_in(user)

    def get_user(self, user_id: Any) -> Any:
        """ModelBackend's, the user read with a compiled statement."""
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _user_by_id(pk=pk)
        return found[0] if found and self.user_can_authenticate(found[0]) else None
