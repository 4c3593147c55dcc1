from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import router, transaction
from django.http import HttpRequest

from lmn.audit.admin_site import AuditedAdminMixin, ReadOnlyAdmin

from .models import AccessApplication, InformationMailing, Membership, User


class MembershipInline(admin.TabularInline):
    """Shown, never changed here: a role, its areas and units are granted, changed and
    ended only by approving a head of unit's application (ACC-1), which is audited."""

    model = Membership
    extra = 0
    fields = readonly_fields = ("unit", "payer", "role", "areas", "joint_ordering", "active")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class StaffUserAdmin(AuditedAdminMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "hsa_id", "is_active"]
    inlines = [MembershipInline]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("LMN", {"fields": ("hsa_id", "phone", "phone_is_switchboard")}),
    )
    # Django's own permission flags would grant access beside the memberships (ACC-1)
    readonly_fields = ["is_staff", "is_superuser", "groups", "user_permissions"]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        # Django's password view is not atomic: the new password and its audit event
        # must commit together
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().user_change_password(request, id, form_url)


@admin.register(AccessApplication)
class AccessApplicationAdmin(ReadOnlyAdmin):
    """Applications change only through their services (approve, reject, withdraw)."""

    list_display = ["pk", "kind", "status", "subject_hsa_id", "role", "submitted_at"]
    list_filter = ["status", "kind", "role"]
    search_fields = ["subject_hsa_id", "subject_last_name"]


@admin.register(InformationMailing)
class InformationMailingAdmin(ReadOnlyAdmin):
    list_display = ["subject", "sent_at", "recipients"]
