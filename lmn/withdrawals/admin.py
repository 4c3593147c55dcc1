from __future__ import annotations

from django.contrib import admin

from lmn.core.admin_audit import AuditedPatientDataAdmin

from .models import Withdrawal


@admin.register(Withdrawal)
class WithdrawalAdmin(AuditedPatientDataAdmin):
    patient_path = "patient"
    list_display = ["number", "status", "placed_at", "promised_delivery_date"]
    list_filter = ["status", "speed", "destination"]
    search_fields = ["number"]
