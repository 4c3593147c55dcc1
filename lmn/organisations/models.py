from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

customer_number_validator = RegexValidator(r"^\d{6}$", "Kundnumret ska vara sex siffror.")


class CareProvider(models.Model):
    class Kind(models.TextChoices):
        REGION = "region", "Region"
        MUNICIPALITY = "municipality", "Kommun"
        PRIVATE = "private", "Privat vårdgivare"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.CharField(max_length=10, default="VG")

    def __str__(self) -> str:
        return self.name


class Payer(models.Model):
    """Who is invoiced (UNIT-1), with the invoice address."""

    name = models.CharField(max_length=200)
    invoice_reference = models.CharField(max_length=100, blank=True)
    invoice_street = models.CharField(max_length=200)
    invoice_postcode = models.CharField(max_length=5)
    invoice_city = models.CharField(max_length=100)
    region = models.CharField(max_length=10, default="VG")

    def __str__(self) -> str:
        return self.name


class PrescribingUnit(models.Model):
    """A customer: a care unit with a six-digit customer number (UNIT-1)."""

    class Kind(models.TextChoices):
        HEALTH_CENTRE = "health_centre", "Vårdcentral"
        HOSPITAL_WARD = "hospital_ward", "Sjukhusavdelning"
        SPECIAL_HOUSING = "special_housing", "Särskilt boende"
        HOME_CARE = "home_care", "Hemsjukvård"
        ASYLUM = "asylum", "Asylenhet"
        SPECIALIST = "specialist", "Specialistmottagning"

    customer_number = models.CharField(
        max_length=6, unique=True, validators=[customer_number_validator]
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    care_provider = models.ForeignKey(CareProvider, on_delete=models.PROTECT, related_name="units")
    hsa_id = models.CharField(max_length=40, blank=True)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    region = models.CharField(max_length=10, default="VG")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["customer_number"]

    def __str__(self) -> str:
        return f"{self.customer_number} {self.name}"


class UnitPayer(models.Model):
    """The payer of a unit for one product area (UNIT-2)."""

    unit = models.ForeignKey(PrescribingUnit, on_delete=models.CASCADE, related_name="payers")
    product_area = models.ForeignKey("catalog.ProductArea", on_delete=models.PROTECT)
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="unit_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "product_area"], name="unitpayer_one_payer_per_area"
            )
        ]
