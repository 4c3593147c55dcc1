"""Login flood control: attempts counted per client address and for everyone together.

Each password check costs a large part of a CPU second by design, so a flood of logins
(unknown usernames included, which django-axes never locks) starves every other user.
`admit_login_attempt` runs before any password hash: one upsert per counter in a small
table, shared by every gunicorn process, that stops counting once the limit is passed.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from .models import LoginAttemptWindow

EVERYONE = "*"


class TooManyLoginAttempts(Exception):
    """The address, or everyone together, used up this window's login attempts."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"retry after {retry_after} s")

    @property
    def message(self) -> str:
        return gettext(
            "För många inloggningsförsök just nu. Vänta %(seconds)s sekunder och försök sedan igen."
        ) % {"seconds": self.retry_after}


def client_address(request: HttpRequest | None) -> str:
    """The client's address; behind LMN_TRUSTED_PROXIES proxies, the one they saw."""
    if request is None:
        return "unknown"
    proxies = settings.LMN_TRUSTED_PROXIES
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies][:64]  # the entry our own outermost proxy appended
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:64]


_UPSERT = (
    "INSERT INTO {table} (bucket, started, attempts) VALUES (%s, %s, 1) "
    "ON CONFLICT (bucket, started) DO UPDATE SET attempts = {table}.attempts + 1 "
    "WHERE {table}.attempts <= %s RETURNING attempts"
)


def _count(bucket: str, started: int, limit: int) -> bool:
    """Count one attempt; False when the bucket had passed its limit (it stops counting)."""
    table = connection.ops.quote_name(LoginAttemptWindow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=table), [bucket, started, limit])
        row = cursor.fetchone()
    if row is not None and row[0] == 1 and bucket == EVERYONE:
        # the first attempt of a new window: forget the windows before it
        LoginAttemptWindow.objects.filter(started__lt=started).delete()
    return row is not None and row[0] <= limit


def admit_login_attempt(address: str) -> None:
    """Count a login attempt from `address`, or raise TooManyLoginAttempts."""
    window = settings.LMN_LOGIN_WINDOW_SECONDS
    now = time.time()
    started = int(now // window * window)
    retry_after = max(1, math.ceil(started + window - now))
    with transaction.atomic():
        admitted = _count(f"ip:{address}", started, settings.LMN_LOGIN_ATTEMPTS_PER_ADDRESS)
        # a refused address does not use up everyone's attempts
        if admitted:
            admitted = _count(EVERYONE, started, settings.LMN_LOGIN_ATTEMPTS_GLOBAL)
    if not admitted:
        raise TooManyLoginAttempts(retry_after)
