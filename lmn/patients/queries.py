"""The one way to list the patients an actor may see (SKYDD-1)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lmn.core.actor import Actor

from .models import Patient


def patients_visible_to(actor: Actor) -> QuerySet[Patient]:
    """Unprotected patients, and protected ones only inside their own unit.

    A protected patient without a unit is locked for everyone (SKYDD-7). A record whose
    history moved to a new identity answers to nobody: its aliases lead to the new one.
    """
    return Patient.objects.filter(visible_patient_q(actor), converted_to__isnull=True)


def visible_patient_q(actor: Actor, prefix: str = "") -> Q:
    """The visibility condition, for querysets that reach Patient through `prefix`
    (e.g. "patient__"): withdrawals and prescriptions use the same rule."""
    visible = Q(**{f"{prefix}protected": False})
    if actor.unit is not None:
        visible |= Q(**{f"{prefix}protected": True, f"{prefix}protected_unit": actor.unit})
    return visible
