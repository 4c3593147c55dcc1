from __future__ import annotations

from django.contrib import admin

from .models import PickupPoint, RegionPolicy


@admin.register(RegionPolicy)
class RegionPolicyAdmin(admin.ModelAdmin):
    list_display = ["region", "emergency_cutoff", "express_enabled", "express_cutoff"]


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "postcode", "city", "active"]
    search_fields = ["code", "name", "city", "postcode"]
