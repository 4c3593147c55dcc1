from __future__ import annotations

from django.contrib import admin

from .models import Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """LMN administration registers a journal system's endpoint for a unit (issue 14)."""

    list_display = ["unit_number", "url", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["unit_number"]
