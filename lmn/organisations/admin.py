from __future__ import annotations

from django.contrib import admin

from .models import CareProvider, Payer, PrescribingUnit, UnitPayer


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
