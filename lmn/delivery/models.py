from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from .kept import forget_region_policies


def _default_express_roles() -> list[str]:
    return ["forskrivare", "lakare"]  # EXPR-6: only the prescriber


def _default_emergency_roles() -> list[str]:
    return ["forskrivare", "lakare", "bestallare", "kundtjanst"]


class _PolicyQuerySet(models.QuerySet["RegionPolicy"]):
    """Bulk changes forget the kept policies too (see lmn.delivery.policy)."""

    def update(self, **kwargs: Any) -> int:
        forget_region_policies()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        forget_region_policies()
        return super().delete()


class RegionPolicy(models.Model):
    """Delivery policy of a region: cut-offs, fees and who may order what.

    Data, not code, so that a region changes them in the admin. Defaults are those of
    the routine in RULES.md (Västra Götaland).
    """

    region = models.CharField(max_length=10, unique=True)
    standard_working_days = models.PositiveSmallIntegerField(default=5)  # GEN-7
    emergency_cutoff = models.TimeField(default=dt.time(14, 0))  # AKUT-1
    express_enabled = models.BooleanField(default=True)
    express_cutoff = models.TimeField(default=dt.time(12, 0))  # EXPR-2
    express_roles = models.JSONField(default=_default_express_roles)  # EXPR-6
    emergency_roles = models.JSONField(default=_default_emergency_roles)
    pickup_days = models.PositiveSmallIntegerField(default=14)  # PICK-4
    ooa_contact_days = models.PositiveSmallIntegerField(default=10)  # OOA-3
    fee_emergency = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("250"))
    fee_express = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("400"))
    fee_nutrition_outside_region = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("150")
    )
    fee_return = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("200"))
    # OOA-6: each withdrawal with a product outside the procured assortment costs extra
    fee_out_of_assortment = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("300")
    )
    # OOA-3: calendar days to deliver a product outside the assortment whose lead time is unknown
    ooa_default_lead_days = models.PositiveSmallIntegerField(default=14)

    objects = _PolicyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Leveranspolicy {self.region}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        forget_region_policies()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        forget_region_policies()
        return super().delete(*args, **kwargs)


class PickupPoint(models.Model):
    """One of the carrier's pickup points in Sweden (PICK-1, PICK-3)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    # as the carrier publishes them, e.g. "Alla dagar 8–22"; shown to whoever collects
    opening_hours = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["city", "name"]
        indexes = [models.Index(fields=["postcode"], name="pickuppoint_postcode")]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class DeliveryPreference(models.Model):
    """The delivery details a patient saved in the e-service, offered again next time."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="delivery_preference"
    )
    destination = models.CharField(max_length=20, default="door")
    pickup_point_code = models.CharField(max_length=20, blank=True)
    door_code = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    notify_by = models.CharField(max_length=10, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"DeliveryPreference {self.pk}"
