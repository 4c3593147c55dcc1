"""The auditor's review of an access (PDL-3), audited like every other change."""

from __future__ import annotations

from django.db import transaction

from lmn.audit.models import AuditEvent
from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied, Problem

from .models import ReviewMark

COMMENT_MAX = 1000


def mark_reviewed(event_id: int, *, comment: str, actor: Actor, channel: str = "") -> ReviewMark:
    """The auditor has reviewed the access `event_id`; the comment says what was found."""
    if actor.role != Role.AUDITOR:
        raise PermissionDenied("auditor_only", "Bara granskare markerar loggposter granskade.")
    cleaned = " ".join((comment or "").split())
    if not cleaned:
        raise DomainError(Problem("comment_required", "Skriv vad granskningen visade.", "comment"))
    if len(cleaned) > COMMENT_MAX:
        raise DomainError(
            Problem(
                "comment_too_long", f"Kommentaren får vara högst {COMMENT_MAX} tecken.", "comment"
            )
        )
    if not AuditEvent.objects.filter(pk=event_id, patient_id__isnull=False).exists():
        raise NotFound()
    with transaction.atomic():
        mark = ReviewMark.objects.create(
            event_id=event_id, reviewed_by=actor.hsa_id, reviewed_at=clock.now(), comment=cleaned
        )
        record(
            "logreview.event.reviewed",
            actor=actor,
            obj=mark,
            channel=channel,
            data={"event": event_id, "comment": cleaned},
        )
    return mark
