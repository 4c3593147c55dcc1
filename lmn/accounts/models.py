from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from lmn.core.actor import Role


class User(AbstractUser):
    """A staff user. Contact details are the prescriber's own (CON-1)."""

    hsa_id = models.CharField("HSA-id", max_length=40, unique=True, null=True, blank=True)
    phone = models.CharField("direktnummer", max_length=30, blank=True)
    phone_is_switchboard = models.BooleanField(default=False)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


ROLE_CHOICES = [(code, label) for code, label in Role.LABELS.items() if code != Role.SYSTEM]


class Membership(models.Model):
    """A role in a unit with product-area permissions (ACC-1..ACC-3).

    Organisation-wide roles (customer service, administration, auditor) have no unit.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        "organisations.PrescribingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    areas = models.ManyToManyField("catalog.ProductArea", blank=True)
    joint_ordering = models.BooleanField("Sambeställning – Särskilt boende", default=False)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="membership_unique_role_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.unit}"


class ApiToken(models.Model):
    """A bearer token for the REST API, bound to one membership. Only the hash is stored."""

    key_hash = models.CharField(max_length=64, unique=True)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
