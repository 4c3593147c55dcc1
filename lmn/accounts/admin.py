from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, User


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
