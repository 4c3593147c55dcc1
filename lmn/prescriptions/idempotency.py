"""Idempotent prescription actions for the API (the IETF Idempotency-Key draft).

The key is stored with the action's result in the action's own transaction; the unique
(actor, key) constraint decides, not a read beforehand. The same request again (also a
concurrent one) is answered with the first one's result; another request under the same
key is refused (IdempotencyConflict, 409).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction

from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError

from .models import PrescriptionRequest


class IdempotencyConflict(Exception):
    """The key was used for another request."""


def fingerprint(action: str, body: dict[str, Any]) -> str:
    raw = json.dumps({"action": action, "body": body}, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _actor_key(actor: Actor) -> str:
    return f"{actor.hsa_id}@{actor.unit_number}"


def once[T: models.Model](
    *, actor: Actor, key: str, action: str, body: dict[str, Any], run: Callable[[], T]
) -> tuple[T, bool]:
    """(result, created): run the action once per (actor, key)."""
    print_ = fingerprint(action, body)
    try:
        with transaction.atomic():
            result = run()
            PrescriptionRequest.objects.create(
                actor_key=_actor_key(actor),
                key=key,
                fingerprint=print_,
                result_type=result._meta.label_lower,
                result_id=result.pk,
                created_at=clock.now(),
            )
            return result, True
    except (IntegrityError, DomainError):
        previous = _replay(actor, key, print_)
        if previous is None:
            raise
        return previous, False


def _replay(actor: Actor, key: str, print_: str) -> Any:
    found = PrescriptionRequest.objects.filter(actor_key=_actor_key(actor), key=key).first()
    if found is None:
        return None
    if found.fingerprint != print_:
        raise IdempotencyConflict()
    model = apps.get_model(found.result_type)
    return model._default_manager.get(pk=found.result_id)
