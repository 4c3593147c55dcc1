"""The lifecycle shared by every application (access, units): states as data.

The audited decisions built on it (reject, withdraw) live with the applications, in
lmn.organisations.applications: core imports no app.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import clock
from .errors import DomainError, in_swedish


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Inskickad")  # waiting for LMN administration
    APPROVED = "approved", _("Beviljad")  # granted; took effect when approved
    REJECTED = "rejected", _("Avslagen")  # refused by LMN administration, with a reason
    WITHDRAWN = "withdrawn", _("Återkallad")  # taken back by the applicant before a decision


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
    if to not in APPLICATION_TRANSITIONS.get(current, frozenset()):
        raise DomainError.single(
            "invalid_transition",
            f"Ansökan är redan {in_swedish(ApplicationStatus(current).label).lower()} och kan "
            f"inte bli {in_swedish(ApplicationStatus(to).label).lower()}.",
            "status",
        )


def decide(application: Any, to: str, *, actor: Any, note: str = "") -> Any:
    """Lock an application row and move it to `to`, recording who decided and why.

    For any model with status, decided_by, decided_at and decision_note; the caller's
    work (granting, allocating) joins the same transaction.
    """
    locked = type(application).objects.select_for_update().get(pk=application.pk)
    check_transition(locked.status, to)
    locked.status = to
    locked.decided_by = actor.user
    locked.decided_at = clock.now()
    locked.decision_note = note[:500]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return locked
