from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    CareProvider,
    Payer,
    PrescribingUnit,
    UnitApplication,
    UnitApplicationPayer,
    UnitPayer,
)


class UnitPayerInline(admin.TabularInline):
    model = UnitPayer
    extra = 0


@admin.register(PrescribingUnit)
class PrescribingUnitAdmin(admin.ModelAdmin):
    list_display = ["customer_number", "name", "kind", "care_provider"]
    search_fields = ["customer_number", "name"]
    inlines = [UnitPayerInline]


admin.site.register(CareProvider)
admin.site.register(Payer)


class UnitApplicationPayerInline(admin.TabularInline):
    model = UnitApplicationPayer
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UnitApplication)
class UnitApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through their services."""

    list_display = ["pk", "kind", "status", "name", "unit", "submitted_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name"]
    inlines = [UnitApplicationPayerInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
