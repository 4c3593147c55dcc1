from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lmn.audit.admin_site import AuditedPatientDataAdmin

from .models import JointOrder, Withdrawal


@admin.register(Withdrawal)
class WithdrawalAdmin(AuditedPatientDataAdmin):
    patient_path = "patient"
    list_display = ["number", "status", "placed_at", "promised_delivery_date"]
    list_filter = ["status", "speed", "destination"]
    search_fields = ["number"]


@admin.register(JointOrder)
class JointOrderAdmin(admin.ModelAdmin):
    """Read-only: a joint order is placed through its service; its withdrawals (with the
    patients) are in the audited withdrawal admin."""

    list_display = ["number", "ward", "placed_at", "promised_delivery_date"]
    search_fields = ["number"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
