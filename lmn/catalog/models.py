from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProductArea(models.Model):
    """One of the five product areas of ACC-3 (joint ordering is a permission, not an area)."""

    DIABETES = "diabetes"
    INCONTINENCE = "incontinence"
    NUTRITION = "nutrition"
    TUBE_FEEDING = "tube_feeding"
    STOMA = "stoma"

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    article_number = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    area = models.ForeignKey(ProductArea, on_delete=models.PROTECT, related_name="products")
    package_size = models.CharField(max_length=60, help_text="t.ex. 100 st/förp")
    ordering_unit = models.CharField(max_length=20, help_text="enhet för förbrukning och uttag")
    price_sek = models.DecimalField(max_digits=10, decimal_places=2)
    procured = models.BooleanField(default=True)
    stocked = models.BooleanField(default=True)
    recommended = models.BooleanField(default=False, help_text="REK-lista")
    stock_quantity = models.PositiveIntegerField(default=0)
    # when an out-of-stock product is expected back in (answers AKUT-3/EXPR-4 refusals)
    expected_restock_date = models.DateField(null=True, blank=True)
    # days from order to delivery for a product outside the procured assortment, which the
    # distributor orders from the supplier (OOA-3); empty = the region policy's default
    lead_time_days = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)
    # an assortment change: the last day the article is in the assortment, and the article
    # that replaces it; the prescriptions of it are listed to their units to be changed
    end_date = models.DateField("sista dag i sortimentet", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name="ersätts av",
    )

    class Meta:
        ordering = ["area__sort_order", "-recommended", "name"]
        indexes = [
            # catalogue search lists an area's products, REK first, by name
            models.Index(fields=["area", "recommended", "name"], name="product_area_rek_name"),
        ]

    def __str__(self) -> str:
        return f"{self.article_number} {self.name}"


class AssortmentNews(models.Model):
    """Sortimentsnytt: a notice about a change in the assortment."""

    # empty: news for every area
    area = models.ForeignKey(ProductArea, on_delete=models.PROTECT, null=True, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    published = models.DateField(help_text="visas från och med detta datum")
    # when it was added: "new since your last visit" compares this with the visit (GEN-6)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-published", "-created_at"]
        verbose_name_plural = "assortment news"

    def __str__(self) -> str:
        return self.title


class NewsVisit(models.Model):
    """When a user last read the assortment news (GEN-6): anything added later is new."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_visit"
    )
    visited_at = models.DateTimeField()


class VatRate(models.Model):
    """A VAT rate as data (mervärdesskatt): the price list names one per price.

    `category` is the UNCL5305 code Peppol BIS 3 needs (S standard, Z zero rated, E exempt);
    a rate not in this table is unknown and a price list naming it is refused.
    """

    STANDARD = "S"
    ZERO = "Z"
    EXEMPT = "E"
    CATEGORIES = [(STANDARD, "Standard"), (ZERO, "Zero rated"), (EXEMPT, "Exempt")]
    # fees (emergency, express, returns) are services at the standard rate
    FEES = "25"

    code = models.CharField(max_length=10, unique=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    category = models.CharField(max_length=2, choices=CATEGORIES, default=STANDARD)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["-percent", "code"]

    def __str__(self) -> str:
        return self.name


class ProductPrice(models.Model):
    """The procured price of one unit (`Product.ordering_unit`) from `valid_from` on (INV-1).

    A later row replaces an earlier one from its date; rows are never edited once a
    withdrawal may have been invoiced at them, a new price list adds rows.
    """

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="prices")
    valid_from = models.DateField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    vat_rate = models.ForeignKey(VatRate, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["product", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["product", "valid_from"], name="price_product_from"),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.unit_price} från {self.valid_from}"


class PriceImport(models.Model):
    """One upload of a price list and how it went: progress while it runs, then the report.

    All or nothing: a list with any rejected row adds no price at all, and `rejected`
    says which rows and why, so the list can be corrected and uploaded again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        RUNNING = "running", _("Kontrolleras")
        DONE = "done", _("Inläst")
        REJECTED = "rejected", _("Inte inläst")

    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    checked_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    # [{"row": 3, "article": "…", "code": "…", "message": "…"}]
    rejected = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return 100 * self.checked_rows // self.total_rows if self.total_rows else 0
