"""Moving a case between statuses, once, under concurrent deciders."""

from __future__ import annotations

from typing import Any

from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError

from ..models import Case, CaseEvent
from ..states import TRANSITIONS, CaseStatus


def _move(
    case: Case,
    to: str,
    *,
    actor: Actor,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> Case:
    """Move a case if TRANSITIONS allows it, by a conditional update on the status.

    Two agents deciding the same case at once: both read "submitted", one UPDATE matches
    and the other matches nothing (on PostgreSQL it waits for the first to commit, then
    re-reads the row), so exactly one decision wins and the other is refused.
    """
    current = Case.objects.get(pk=case.pk)
    if to not in TRANSITIONS[current.status]:
        raise _not_now(current)
    now = clock.now()
    updated = Case.objects.filter(pk=current.pk, status=current.status).update(
        status=to, updated_at=now, **(changes or {})
    )
    if updated != 1:
        current.refresh_from_db()
        raise _not_now(current)
    CaseEvent.objects.create(
        case=current,
        at=now,
        from_status=current.status,
        to_status=to,
        actor_hsa_id=actor.hsa_id,
        reason=reason,
    )
    current.refresh_from_db()
    return current


def _not_now(current: Case) -> DomainError:
    if current.status in (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.RETURNED):
        return DomainError.single(
            "case_already_decided",
            f"Ärendet är redan beslutat ({current.get_status_display().lower()}) av en annan "
            "handläggare. Ladda om ärendet.",
            "status",
        )
    return DomainError.single(
        "invalid_transition",
        f"Ärendet kan inte ändras när det är {current.get_status_display().lower()}.",
        "status",
    )
