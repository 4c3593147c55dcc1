"""Moving a case between statuses, once, under concurrent deciders."""

from __future__ import annotations

from typing import Any

from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, in_swedish
from lmn.core.transitions import check_transition

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
    code, text = _not_now(current)
    check_transition(TRANSITIONS, current.status, to, code=code, message=lambda *_: text)
    now = clock.now()
    updated = Case.objects.filter(pk=current.pk, status=current.status).update(
        status=to, updated_at=now, **(changes or {})
    )
    if updated != 1:
        current.refresh_from_db()
        raise DomainError.single(*_not_now(current), "status")
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


_DECIDED = (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.RETURNED)


def _not_now(current: Case) -> tuple[str, str]:
    """The refusal's code and words: a decided case was most likely decided by another
    agent at the same time, so say so and ask to reload."""
    state = in_swedish(current.get_status_display()).lower()
    if current.status in _DECIDED:
        return (
            "case_already_decided",
            f"Ärendet är redan beslutat ({state}) av en annan handläggare. Ladda om ärendet.",
        )
    return "invalid_transition", f"Ärendet kan inte ändras när det är {state}."
