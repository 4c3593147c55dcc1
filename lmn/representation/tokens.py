"""REST API tokens for the e-service: a patient's or a proxy's own (EPAT-1, EPAT-2).

A token carries no rights of its own: each request resolves the person and the patient
again (queries.actor_for), so a revoked power or a patient now protected ends it at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import NotFound, PermissionDenied

from .models import PatientToken
from .queries import actor_for

PREFIX = "lmnp_"  # tells the API's authentication a patient token from a staff one
TOKEN_HOURS = 12


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_patient_token(*, actor: Actor) -> tuple[str, dt.datetime]:
    """A token for the person logged in to the e-service, acting for their chosen patient."""
    if not actor.self_service or actor.acting_for is None:
        raise PermissionDenied("EPAT-1", "Bara e-tjänstens användare får en patientnyckel.")
    key = PREFIX + secrets.token_urlsafe(32)
    expires = clock.now() + dt.timedelta(hours=TOKEN_HOURS)
    with transaction.atomic():
        PatientToken.objects.create(
            key_hash=_hash(key),
            person_identifier=actor.hsa_id.removeprefix("person:"),
            patient=actor.acting_for,
            created_at=clock.now(),
            expires_at=expires,
            training=settings.TRAINING_MODE,
        )
        record(
            "representation.token.issued",
            actor=actor,
            patient=actor.acting_for,
            channel="e-tjanst",
        )
    return key, expires


def actor_for_patient_token(key: str) -> Actor | None:
    """The actor of a live patient token, or None (expired, unknown, or no longer allowed)."""
    token = PatientToken.objects.filter(
        key_hash=_hash(key), expires_at__gt=clock.now(), training=settings.TRAINING_MODE
    ).first()
    if token is None:
        return None
    try:
        return actor_for(token.person_identifier, token.patient_id)
    except NotFound:
        return None
