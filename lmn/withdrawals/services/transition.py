"""Moving a withdrawal between statuses, audited, releasing stock on cancellation."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lmn.audit.services import record
from lmn.catalog.services import release_stock
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, in_swedish
from lmn.core.transitions import check_transition

from ..models import (
    Withdrawal,
    WithdrawalEvent,
)
from ..states import TRANSITIONS, WithdrawalStatus
from ..webhooks import notify_journal_systems
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
        # the row lock serialises this with changes and cancellations of the same withdrawal;
        # the conditional update below is the second guard (SQLite has no row locks)
        locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        check_transition(TRANSITIONS, locked.status, to, message=_refusal)
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
        notify_journal_systems(locked, to)  # issue 14: webhooks, sent after commit
        if to == WithdrawalStatus.CANCELLED:
            for line in locked.lines.select_related("product").filter(reserved_quantity__gt=0):
                release_stock(line.product, line.reserved_quantity)
        locked.status = to
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        return locked


def _refusal(current: str, to: str) -> str:
    return (
        f"Uttaget kan inte gå från {in_swedish(WithdrawalStatus(current).label).lower()} "
        f"till {in_swedish(WithdrawalStatus(to).label).lower()}."
    )
