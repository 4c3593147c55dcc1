from __future__ import annotations

from django.contrib import admin

from lmn.audit.admin_site import ReadOnlyAdmin

from .models import AssortmentNews, Product, ProductArea


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["article_number", "name", "area", "recommended", "procured", "stocked"]
    list_filter = ["area", "recommended", "procured", "stocked"]
    search_fields = ["article_number", "name"]
    # an end date or a replacement is an assortment change: its impact is listed in the
    # portal (administration/sortimentsbyte/) and sent to the prescribing units from there
    autocomplete_fields = ["replaced_by"]


@admin.register(ProductArea)
class ProductAreaAdmin(ReadOnlyAdmin):
    """The five areas of ACC-3 are fixed by a migration; a new one here would be granted
    to every doctor at once, outside any application."""

    list_display = ["name", "code"]


@admin.register(AssortmentNews)
class AssortmentNewsAdmin(admin.ModelAdmin):
    """Written here by LMN administration; prescribers read it in the portal (GEN-6)."""

    list_display = ["title", "area", "published", "created_at"]
    list_filter = ["area"]
    date_hierarchy = "published"
