"""Reading prescriptions: the one place that says which an actor may see."""

from __future__ import annotations

from django.db.models import QuerySet

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import NotFound
from lmn.core.prepared import Prepared
from lmn.patients.access import care_scope_q, own_unit_only
from lmn.patients.models import Patient
from lmn.patients.queries import patients_visible_to

from .models import Prescription
from .states import PrescriptionStatus


def prescriptions_visible_to(actor: Actor) -> QuerySet[Prescription]:
    """Prescriptions of the patients the actor may see, made by units whose records the
    actor may see (own unit, or by care relationship: PDL-1, PDL-2)."""
    return (
        Prescription.objects.filter(patient__in=patients_visible_to(actor))
        .filter(care_scope_q(actor))
        .select_related("product__area", "unit", "patient")
    )


def prescriptions_of(
    patient: Patient, *, actor: Actor, orderable_only: bool = False
) -> QuerySet[Prescription]:
    """A patient's prescriptions the actor may see (PDL-1), newest first;
    `orderable_only` keeps active, unexpired ones.

    The caller has already been allowed to see the patient (get_patient).
    """
    qs = (
        Prescription.objects.filter(patient=patient)
        .filter(care_scope_q(actor))
        .select_related("product__area", "unit")
    )
    if orderable_only:
        return qs.filter(status=PrescriptionStatus.ACTIVE, valid_until__gte=clock.today()).order_by(
            "product__area__sort_order", "product__name", "pk"
        )
    return qs.order_by("-created_at", "-pk")


def _orderable_rows(patient: int) -> QuerySet[Prescription]:
    return (
        Prescription.objects.filter(patient_id=patient, status=PrescriptionStatus.ACTIVE)
        .select_related("product__area", "unit")
        .order_by("product__area__sort_order", "product__name", "pk")
    )


_orderable = Prepared(_orderable_rows)


def orderable_prescriptions_of(patient: Patient, *, actor: Actor) -> list[Prescription]:
    """What the ordering page offers: prescriptions_of(…, orderable_only=True), read with
    one compiled statement, the care scope asked of the database only for another unit's."""
    today = clock.today()
    rows = [p for p in _orderable(patient=patient.pk) if p.valid_until >= today]
    return in_care_scope(rows, actor)


def in_care_scope(rows: list[Prescription], actor: Actor) -> list[Prescription]:
    """Those of `rows` the actor may see by care scope (PDL-1, PDL-2), order kept. The
    unit's own prescriptions need no query; any other is decided by care_scope_q."""
    if own_unit_only(actor, (p.unit_id for p in rows)):
        return rows
    allowed = set(
        Prescription.objects.filter(pk__in=[p.pk for p in rows])
        .filter(care_scope_q(actor))
        .values_list("pk", flat=True)
    )
    return [p for p in rows if p.pk in allowed]


def get_prescription(prescription_id: int, *, actor: Actor, channel: str = "") -> Prescription:
    """One prescription the actor may see, the read audited; a miss (or one out of scope)
    is audited too and answers NotFound alike."""
    found = prescriptions_visible_to(actor).filter(pk=prescription_id).first()
    if found is None:
        record(
            "prescriptions.prescription.read",
            actor=actor,
            outcome="not_found",
            channel=channel,
            data={"prescription_id": prescription_id},
        )
        raise NotFound()
    record(
        "prescriptions.prescription.read",
        actor=actor,
        patient=found.patient,
        obj=found,
        channel=channel,
    )
    return found
