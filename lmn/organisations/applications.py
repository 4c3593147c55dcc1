"""Rejecting and withdrawing an application (a unit's here, staff access in
lmn.accounts.applications): audited, refusals too.

Shared by both kinds of application; accounts builds on organisations, so they live here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lmn.audit.services import record, refuse
from lmn.core.errors import DomainError, NotFound
from lmn.core.states import ApplicationStatus, decide


def reject(application: Any, *, action: str, actor: Any, reason: str) -> Any:
    """Reject an undecided application with a stated reason; audited, refusals too.

    The caller has checked that the actor may decide.
    """
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
    if actor.user is None or application.applicant_id != actor.user.pk:
        refuse(action, NotFound(), actor=actor, obj=application)
    try:
        with transaction.atomic():
            locked = decide(application, ApplicationStatus.WITHDRAWN, actor=actor)
            record(action, actor=actor, obj=locked)
    except DomainError as refused:
        refuse(action, refused, actor=actor, obj=application)
    return locked
