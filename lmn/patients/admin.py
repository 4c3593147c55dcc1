from __future__ import annotations

from django.contrib import admin

from lmn.audit.admin_site import AuditedPatientDataAdmin

from .models import Patient


@admin.register(Patient)
class PatientAdmin(AuditedPatientDataAdmin):
    list_display = ["id", "identity_kind", "resident_region", "created_at"]
    list_filter = ["identity_kind", "resident_region"]
