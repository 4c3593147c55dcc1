"""The password backend: Django's, refusing users who may not log in now.

Every password login (portal, admin, API token) and every session lookup goes through
`user_can_authenticate`, so a training login is refused on each path once training is
off (see services.may_log_in).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .services import may_log_in


class LmnModelBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return may_log_in(user)
