"""Actors of API tokens, kept in the server process between requests.

Every API request names its token. Building its actor (token, membership, user, unit
and the membership's areas) was the most expensive read of an order. The actor is now
kept per token, and each request still asks the database one plain question: the
token's row joined to everything access depends on (the stamp). The kept actor is used
only while the stamp is unchanged, so a deleted or expired token, an ended membership,
a changed role or area, a deactivated user or unit take effect at the next request on
every server, as does a verified (or outdated) e-mail address. What may lag by up to
`API_TOKEN_CACHE_SECONDS` are descriptive fields (names, addresses, phone numbers),
which grant nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.prepared import Prepared

from .models import ApiToken

# kept actors per server process; cleared when full rather than tracked (a busy
# server holds one entry per token in use within the time kept)
_MAX_KEPT = 10_000


@dataclass(frozen=True)
class _Kept:
    stamp: tuple[Any, ...]
    actor: Actor
    until: float


_kept: dict[str, _Kept] = {}


# one row per area of the membership (or one row without); the token's expiry and mode
# are compared here rather than in SQL, so that the statement stays the same
_stamp_rows = Prepared(
    lambda key_hash: ApiToken.objects.filter(key_hash=key_hash).values_list(
        "expires_at",
        "training",
        "membership_id",
        "membership__role",
        "membership__active",
        "membership__joint_ordering",
        "membership__unit_id",
        "membership__payer_id",
        "membership__user_id",
        "membership__user__is_active",
        "membership__user__username",
        "membership__user__hsa_id",
        "membership__user__training",
        # the e-mail gate (CON-3) closes on these
        "membership__user__email",
        "membership__user__email_verified_at",
        "membership__user__email_verified_address",
        "membership__unit__customer_number",
        "membership__unit__kind",
        "membership__unit__care_provider_id",
        "membership__unit__hsa_id",
        "membership__unit__region",
        "membership__unit__active",
        "membership__areas__code",
    )
)


def stamp_of(key_hash: str) -> tuple[Any, ...] | None:
    """What access depends on for a live token of this mode, or None if it is not live."""
    rows = _stamp_rows(key_hash=key_hash)
    if not rows:
        return None
    expires_at, training = rows[0][0], rows[0][1]
    if expires_at <= clock.now() or training != settings.TRAINING_MODE:
        return None
    return (*rows[0][2:-1], tuple(sorted(row[-1] for row in rows if row[-1] is not None)))


def kept_actor(key_hash: str, build: Callable[[], Actor | None]) -> Actor | None:
    """The token's actor: the kept one while its stamp holds, else `build()` (kept)."""
    stamp = stamp_of(key_hash)
    if stamp is None:
        _kept.pop(key_hash, None)
        return None
    now = time.monotonic()
    kept = _kept.get(key_hash)
    if kept is not None and kept.stamp == stamp and kept.until > now:
        return kept.actor
    actor = build()
    if actor is None:
        _kept.pop(key_hash, None)
        return None
    if len(_kept) >= _MAX_KEPT:
        _kept.clear()
    _kept[key_hash] = _Kept(stamp, actor, now + settings.API_TOKEN_CACHE_SECONDS)
    return actor


def forget_all() -> None:
    """Drop every kept actor (tests that rebuild the world under the same tokens)."""
    _kept.clear()
