"""Reading the trail: a patient's log extract (PDL-4)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent


def events_about_patient(patient_id: int) -> QuerySet[AuditEvent]:
    """Every event about the patient, newest first (the index audit_patient_at serves it)."""
    return AuditEvent.objects.filter(patient_id=patient_id).order_by("-at", "-id")
