"""The lifecycle shared by every application (access, units): states as data."""

from __future__ import annotations

from django.db import models


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
