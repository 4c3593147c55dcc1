"""The lifecycle shared by every application (access, units): states as data."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Inskickad"  # waiting for LMN administration
    APPROVED = "approved", "Beviljad"  # granted; took effect when approved
    REJECTED = "rejected", "Avslagen"  # refused by LMN administration, with a reason
    WITHDRAWN = "withdrawn", "Återkallad"  # taken back by the applicant before a decision


APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}


def check_transition(current: str, to: str) -> None:
    """Raise unless an application may go from `current` to `to`."""
    from .errors import DomainError

    if to not in APPLICATION_TRANSITIONS.get(current, frozenset()):
        raise DomainError.single(
            "invalid_transition",
            f"Ansökan är redan {ApplicationStatus(current).label.lower()} och kan inte "
            f"bli {ApplicationStatus(to).label.lower()}.",
            "status",
        )


def decide(application: Any, to: str, *, actor: Any, note: str = "") -> Any:
    """Lock an application row and move it to `to`, recording who decided and why.

    For any model with status, decided_by, decided_at and decision_note; the caller's
    work (granting, allocating) joins the same transaction.
    """
    from . import clock

    locked = type(application).objects.select_for_update().get(pk=application.pk)
    check_transition(locked.status, to)
    locked.status = to
    locked.decided_by = actor.user
    locked.decided_at = clock.now()
    locked.decision_note = note[:500]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return locked


def reject(application: Any, *, action: str, actor: Any, reason: str) -> Any:
    """Reject an undecided application with a stated reason; audited, refusals too.

    The caller has checked that the actor may decide.
    """
    from lmn.audit.services import record, refuse

    from .errors import DomainError

    if not reason.strip():
        refuse(
            action,
            DomainError.single("reason_required", "Ange varför ansökan avslås.", "reason"),
            actor=actor,
            obj=application,
        )
    try:
        with transaction.atomic():
            locked = decide(application, ApplicationStatus.REJECTED, actor=actor, note=reason)
            record(action, actor=actor, obj=locked, data={"reason": reason[:500]})
    except DomainError as refused:
        refuse(action, refused, actor=actor, obj=application)
    return locked


def withdraw(application: Any, *, action: str, actor: Any) -> Any:
    """The applicant takes back an application that is not yet decided; audited.

    Someone else's application answers like a missing one.
    """
    from lmn.audit.services import record, refuse

    from .errors import DomainError, NotFound

    if actor.user is None or application.applicant_id != actor.user.pk:
        refuse(action, NotFound(), actor=actor, obj=application)
    try:
        with transaction.atomic():
            locked = decide(application, ApplicationStatus.WITHDRAWN, actor=actor)
            record(action, actor=actor, obj=locked)
    except DomainError as refused:
        refuse(action, refused, actor=actor, obj=application)
    return locked
