"""Django's database sessions, the session read with one compiled statement.

Every portal request reads its session; the read is `Prepared` (lmn.core.prepared) and
the expiry compared here, as Django's own backend compares it in SQL. Sessions stay in
the database, so logging out or ending a session takes effect on every server.
Set as SESSION_ENGINE."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from lmn.core.prepared import Prepared

_by_key = Prepared(lambda key: Session.objects.filter(session_key=key))


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        found = _by_key(key=key) if key else []
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
