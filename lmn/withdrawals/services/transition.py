"""Moving a withdrawal between statuses, audited, releasing stock on cancellation."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lmn.audit.services import record
from lmn.catalog.services import release_stock
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError

from ..models import (
    Withdrawal,
    WithdrawalEvent,
)
from ..states import TRANSITIONS, WithdrawalStatus
from .drafts import event_actor


def transition(
    withdrawal: Withdrawal,
    to: str,
    *,
    actor: Actor,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> Withdrawal:
    """Move a withdrawal to another status, if TRANSITIONS allows it.

    `changes` are other fields set in the same update (e.g. the pickup code).
    """
    with transaction.atomic():
        locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if to not in WithdrawalStatus.values:
            raise DomainError.single("invalid_status", "Okänd status.", "status")
        if to not in TRANSITIONS[locked.status]:
            raise DomainError.single(
                "invalid_transition",
                f"Uttaget kan inte gå från {locked.get_status_display().lower()} "
                f"till {WithdrawalStatus(to).label.lower()}.",
                "status",
            )
        updated = Withdrawal.objects.filter(pk=locked.pk, status=locked.status).update(
            status=to, **(changes or {})
        )
        if updated != 1:
            raise DomainError.single(
                "concurrent_change", "Uttaget ändrades samtidigt. Försök igen."
            )
        WithdrawalEvent.objects.create(
            withdrawal=locked,
            at=clock.now(),
            from_status=locked.status,
            to_status=to,
            **event_actor(actor),
        )
        record(
            f"withdrawals.withdrawal.{to}",
            actor=actor,
            patient=locked.patient,
            obj=locked,
            data={"from": locked.status, **(data or {})},
        )
        if to == WithdrawalStatus.CANCELLED:
            for line in locked.lines.select_related("product").filter(reserved_quantity__gt=0):
                release_stock(line.product, line.reserved_quantity)
        locked.status = to
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        return locked
