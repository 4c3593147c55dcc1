from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from .models import AccessApplication, InformationMailing, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    filter_horizontal = ["areas"]


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "hsa_id", "is_active"]
    inlines = [MembershipInline]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("LMN", {"fields": ("hsa_id", "phone", "phone_is_switchboard")}),
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Applications change only through their services (approve, reject, withdraw)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessApplication)
class AccessApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "subject_hsa_id", "role", "submitted_at"]
    list_filter = ["status", "kind", "role"]
    search_fields = ["subject_hsa_id", "subject_last_name"]


@admin.register(InformationMailing)
class InformationMailingAdmin(ReadOnlyAdmin):
    list_display = ["subject", "sent_at", "recipients"]
