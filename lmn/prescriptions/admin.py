from __future__ import annotations

from django.contrib import admin

from lmn.audit.admin_site import AuditedPatientDataAdmin

from .models import Prescription


@admin.register(Prescription)
class PrescriptionAdmin(AuditedPatientDataAdmin):
    patient_path = "patient"
    list_display = ["id", "product", "unit", "status", "valid_from", "valid_until"]
    list_filter = ["status"]
