"""The one way to list the patients an actor may see (SKYDD-1)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lmn.core.actor import Actor

from .models import Patient


def patients_visible_to(actor: Actor) -> QuerySet[Patient]:
    """Unprotected patients, and protected ones only inside their own unit.

    A protected patient without a unit is locked for everyone (SKYDD-7).
    """
    visible = Q(protected=False)
    if actor.unit is not None:
        visible |= Q(protected=True, protected_unit=actor.unit)
    return Patient.objects.filter(visible)
