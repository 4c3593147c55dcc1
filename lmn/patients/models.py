from __future__ import annotations

from django.db import models


class Region(models.TextChoices):
    VASTRA_GOTALAND = "VG", "Västra Götaland"
    HALLAND = "HALLAND", "Halland"
    OTHER = "OTHER", "Annan region"


class Dwelling(models.TextChoices):
    HOUSE = "house", "Villa/radhus"
    MULTI_FAMILY = "multi_family", "Flerfamiljshus"
    CARE_HOME = "care_home", "Särskilt boende"


class IdentityKind(models.TextChoices):
    PERSONNUMMER = "personnummer", "Personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer", "Samordningsnummer"


class RegisterRecord(models.Model):
    """A person in the population register (Västfolket, PAT-1).

    Only people with a full personnummer or samordningsnummer are here (PAT-2).
    In training and tests this table is the synthetic register; in production an
    adapter to the real register replaces `lmn.patients.register`.
    """

    identifier = models.CharField(max_length=12, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    dwelling = models.CharField(max_length=20, choices=Dwelling.choices, default=Dwelling.HOUSE)
    region = models.CharField(max_length=10, choices=Region.choices)
    region_name = models.CharField(max_length=60, blank=True)
    protected = models.BooleanField(default=False)


class Patient(models.Model):
    """A patient known to LMN: imported from the register on first lookup."""

    identity_kind = models.CharField(max_length=20, choices=IdentityKind.choices)
    identifier = models.CharField(max_length=12, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    birth_date = models.DateField()
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    dwelling = models.CharField(max_length=20, choices=Dwelling.choices, default=Dwelling.HOUSE)
    resident_region = models.CharField(max_length=10, choices=Region.choices)
    region_name = models.CharField(max_length=60, blank=True)
    care_home_unit = models.ForeignKey(
        "organisations.PrescribingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    # Protected identity (SKYDD): visible only inside `protected_unit`; with no unit,
    # visible to nobody (the record is locked, SKYDD-7).
    protected = models.BooleanField(default=False)
    protected_unit = models.ForeignKey(
        "organisations.PrescribingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def identifier_display(self) -> str:
        return f"{self.identifier[:8]}-{self.identifier[8:]}"

    def __str__(self) -> str:
        return f"Patient {self.pk}"  # never the name or number: str() ends up in logs
