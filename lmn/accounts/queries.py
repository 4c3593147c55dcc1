"""What an actor may see of access applications."""

from __future__ import annotations

from django.db.models import QuerySet

from lmn.core.actor import Actor
from lmn.organisations.queries import applications_listed

from .models import AccessApplication


def access_applications_visible_to(
    actor: Actor, *, status: str | None = None
) -> QuerySet[AccessApplication]:
    """The access applications an actor's list shows: administration's queue, or the
    head of unit's own applications (applications_listed)."""
    qs = AccessApplication.objects.select_related("applicant", "subject").prefetch_related(
        "areas", "units"
    )
    return applications_listed(qs, actor, status)
