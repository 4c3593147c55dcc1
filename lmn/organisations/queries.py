"""What an actor may see of units and unit applications."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from lmn.core.actor import Actor, Role
from lmn.core.states import ApplicationStatus

from .models import UnitApplication


def applications_listed[M: models.Model](
    qs: QuerySet[M], actor: Actor, status: str | None = None
) -> QuerySet[M]:
    """Applications as each side works them (unit and access applications alike).

    LMN administration decides them: the queue, by default the submitted ones, oldest
    first. Anyone else sees only what they applied for themselves, newest first.
    """
    if actor.role == Role.ADMIN:
        return qs.filter(status=status or ApplicationStatus.SUBMITTED).order_by(
            "submitted_at", "pk"
        )
    if actor.user is None:
        return qs.none()
    qs = qs.filter(applicant=actor.user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def unit_applications_visible_to(
    actor: Actor, *, status: str | None = None
) -> QuerySet[UnitApplication]:
    """The unit applications an actor's list shows (applications_listed)."""
    qs = UnitApplication.objects.select_related("applicant", "applicant_unit", "unit")
    return applications_listed(qs, actor, status)
