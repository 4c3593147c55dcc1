from __future__ import annotations

from django.contrib import admin

from .models import AssortmentNews, Product, ProductArea


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["article_number", "name", "area", "recommended", "procured", "stocked"]
    list_filter = ["area", "recommended", "procured", "stocked"]
    search_fields = ["article_number", "name"]


admin.site.register(ProductArea)


@admin.register(AssortmentNews)
class AssortmentNewsAdmin(admin.ModelAdmin):
    """Written here by LMN administration; prescribers read it in the portal (GEN-6)."""

    list_display = ["title", "area", "published", "created_at"]
    list_filter = ["area"]
    date_hierarchy = "published"
