"""Building actors from memberships, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import OuterRef, QuerySet, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_noop

from lmn.audit.services import record
from lmn.catalog.models import ProductArea
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import PermissionDenied
from lmn.core.prepared import Prepared
from lmn.organisations.models import PrescribingUnit

from .models import ApiToken, Membership, User
from .token_cache import kept_actor


def actor_for(membership: Membership, *, area_codes: str | None = None) -> Actor:
    """The actor a membership makes. A doctor may prescribe in every area (ACC-2).

    `area_codes`: the membership's areas, comma-separated, when already read with it."""
    if membership.role == Role.DOCTOR:
        areas = frozenset(ProductArea.objects.values_list("code", flat=True))
    elif area_codes is not None:
        areas = frozenset(code for code in area_codes.split(",") if code)
    else:
        areas = frozenset(a.code for a in membership.areas.all())
    user = membership.user
    return Actor(
        role=membership.role,
        hsa_id=user.hsa_id or f"user:{user.pk}",
        user=user,
        unit=membership.unit,
        areas=areas,
        joint_ordering=membership.joint_ordering,
        payer=membership.payer,
    )


def memberships_of(user: User) -> list[Membership]:
    return list(_active_memberships(user.pk).prefetch_related("areas"))


def _active_memberships(user: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user, active=True, user__is_active=True)
        .select_related("unit", "user", "payer")
        .order_by("unit__customer_number", "role")
    )


# the portal resolves the acting membership on every request: compiled once
_memberships = Prepared(_active_memberships)
_area_codes = Prepared(
    lambda membership: Membership.areas.through.objects.filter(
        membership_id=membership
    ).values_list("productarea__code")
)


def acting_memberships(user: User) -> list[Membership]:
    """memberships_of(user) without the areas: for choosing one (acting_actor)."""
    return _memberships(user=user.pk)


def acting_actor(membership: Membership) -> Actor:
    """actor_for(membership), its areas read with one compiled statement."""
    if membership.role == Role.DOCTOR:
        return actor_for(membership)
    codes = ",".join(code for (code,) in _area_codes(membership=membership.pk))
    return actor_for(membership, area_codes=codes)


def membership_for(user: User, unit_number: str | None) -> Membership:
    """The user's membership in the unit (or the unit-less one), else PermissionDenied."""
    for m in memberships_of(user):
        if (m.unit.customer_number if m.unit else None) == (unit_number or None):
            return m
    raise PermissionDenied("no_access_to_unit", "Du har ingen behörighet i den enheten.")


TRAINING_USERNAMES = frozenset(
    {
        "forskrivare",
        "dietist",
        "lakare",
        "bestallare",
        "kundtjanst",
        "verksamhetschef",
        "lmnadmin",
        "granskare",
        "annanenhet",
        "distributor",
        "betalare",
    }
)


def is_training_user(user: User) -> bool:
    """A login of the training world: marked by seed_demo, or one of its fixed names."""
    return bool(getattr(user, "training", False)) or user.username in TRAINING_USERNAMES


def may_log_in(user: User) -> bool:
    """Whether the user may be authenticated at all now, on any channel.

    Training logins (password "demo") exist only while LMN_TRAINING=1: in production
    they are refused at the portal, the admin and the API, and their sessions and
    tokens stop working.
    """
    if not getattr(user, "is_active", False):
        return False
    return settings.TRAINING_MODE or not is_training_user(user)


class AccountLocked(Exception):
    """Too many failed logins for this username; it opens again after the cool-off."""

    message = gettext_noop("För många misslyckade inloggningar. Kontot är låst i 15 minuter.")


def login_user(username: str, password: str, *, request: HttpRequest) -> User | None:
    """The user if the password is right and the account open; None otherwise.

    django-axes counts failures per username (AxesStandaloneBackend runs first) and
    raises AccountLocked once the limit is reached, even for a right password.
    """
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise AccountLocked()
    if user is None or not isinstance(user, User):
        return None
    return user if may_log_in(user) else None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(membership: Membership) -> tuple[str, dt.datetime]:
    key = secrets.token_urlsafe(32)
    expires = clock.now() + dt.timedelta(hours=settings.API_TOKEN_HOURS)
    ApiToken.objects.create(
        key_hash=_hash(key),
        membership=membership,
        expires_at=expires,
        training=settings.TRAINING_MODE,
    )
    return key, expires


def actor_for_token(key: str) -> Actor | None:
    """The actor of a live token; a token issued in the other mode (training or not) is dead.

    Kept in the process while nothing access depends on has changed (token_cache)."""
    key_hash = _hash(key)
    return kept_actor(key_hash, lambda: _build_actor_for_token(key_hash))


def _build_actor_for_token(key_hash: str) -> Actor | None:
    token = (
        ApiToken.objects.select_related("membership__user", "membership__unit")
        .filter(key_hash=key_hash, expires_at__gt=clock.now(), training=settings.TRAINING_MODE)
        # the membership's areas in the same query: every API request needs them
        .annotate(area_codes=Coalesce(Subquery(_AREA_CODES), Value(""), output_field=TextField()))
        .first()
    )
    if token is None or not token.membership.active or not may_log_in(token.membership.user):
        return None
    return actor_for(token.membership, area_codes=token.area_codes)


_AREA_CODES = (
    Membership.areas.through.objects.filter(membership_id=OuterRef("membership_id"))
    .values("membership_id")
    .annotate(codes=StringAgg("productarea__code", delimiter=Value(",")))
    .values("codes")  # type: ignore[misc]  # django-stubs misses an annotation on a through model
)


def grant_prescribing_area(
    prescriber: User, unit: PrescribingUnit, area: ProductArea, *, actor: Actor
) -> Membership:
    """Give a prescriber a prescribing membership at `unit` with `area`, if lacking, audited.

    Used when an approved case (ASYL-4/UT-3) needs the prescriber at 601628. Returns the
    membership with areas, user and unit loaded, ready for `actor_for`."""
    membership = (
        Membership.objects.filter(
            user=prescriber, unit=unit, role__in=Role.PRESCRIBING, active=True
        )
        .order_by("pk")
        .first()
    )
    if membership is None:
        membership, _ = Membership.objects.update_or_create(
            user=prescriber, unit=unit, role=Role.PRESCRIBER, defaults={"active": True}
        )
        membership.areas.add(area)
        record(
            "accounts.membership.granted",
            actor=actor,
            obj=membership,
            data={"unit": unit.customer_number, "user": prescriber.hsa_id, "area": area.code},
        )
    elif membership.role != Role.DOCTOR and not membership.areas.filter(pk=area.pk).exists():
        membership.areas.add(area)
        record(
            "accounts.membership.area_added",
            actor=actor,
            obj=membership,
            data={"unit": unit.customer_number, "user": prescriber.hsa_id, "area": area.code},
        )
    return (
        Membership.objects.prefetch_related("areas")
        .select_related("user", "unit")
        .get(pk=membership.pk)
    )
