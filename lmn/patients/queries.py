"""The one way to list the patients an actor may see (SKYDD-1)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lmn.core.actor import Actor
from lmn.core.prepared import Prepared

from .models import PERSONAL_KINDS, Patient


def patients_visible_to(actor: Actor) -> QuerySet[Patient]:
    """Unprotected patients, and protected ones only inside their own unit.

    A protected patient without a unit is locked for everyone (SKYDD-7). A record whose
    history moved to a new identity answers to nobody: its aliases lead to the new one.
    """
    return Patient.objects.filter(visible_patient_q(actor), converted_to__isnull=True)


def visible_patient_q(actor: Actor, prefix: str = "") -> Q:
    """The visibility condition, for querysets that reach Patient through `prefix`
    (e.g. "patient__"): withdrawals and prescriptions use the same rule.

    In the e-service (EPAT-1, EPAT-2) it is the one patient acted for, and only while
    they may use it: not protected, no asylum or no-permit identity, alive. Read on every
    request, so a patient who becomes protected while logged in sees nothing from then on.
    """
    if actor.self_service:
        if actor.acting_for is None:
            return Q(pk__in=[])
        return Q(
            **{
                f"{prefix}pk": actor.acting_for.pk,
                f"{prefix}protected": False,
                f"{prefix}identity_kind__in": sorted(PERSONAL_KINDS),
                f"{prefix}deceased_on__isnull": True,
            }
        )
    return _staff_q(actor.unit.pk if actor.unit is not None else None, prefix)


def _staff_q(unit_id: int | None, prefix: str = "") -> Q:
    visible = Q(**{f"{prefix}protected": False})
    if unit_id is not None:
        visible |= Q(**{f"{prefix}protected": True, f"{prefix}protected_unit_id": unit_id})
    return visible


def visible_to_unit(unit_id: int) -> QuerySet[Patient]:
    """patients_visible_to(actor) for staff acting in the unit `unit_id`."""
    return Patient.objects.filter(_staff_q(unit_id), converted_to__isnull=True)


# staff in a unit: the one read every order starts with, compiled once (core.prepared)
_visible_to_unit = Prepared(lambda pk, unit: visible_to_unit(unit).filter(pk=pk))


def visible_patient_by_id(patient_id: int, *, actor: Actor) -> Patient | None:
    """The patient with this id if the actor may see it (as patients_visible_to), else None."""
    if actor.self_service or actor.unit is None:
        return patients_visible_to(actor).filter(pk=patient_id).first()
    found = _visible_to_unit(pk=patient_id, unit=actor.unit.pk)
    return found[0] if found else None
