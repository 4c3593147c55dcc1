"""Who may act for a patient in the e-service (EPAT-2): powers of attorney and guardians."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    ORDER = "order", _("Beställa och se")
    VIEW = "view", _("Bara se")


class Source(models.TextChoices):
    E_SERVICE = "e_service", _("Given i e-tjänsten")
    PAPER = "paper", _("Registrerad av kundtjänst från papper")


class PowerOfAttorney(models.Model):
    """A fullmakt: the patient lets a representative (ombud) view, or view and order.

    Valid from `valid_from` to `valid_until` inclusive unless revoked; rows are never
    deleted, so what a proxy did can always be shown with who they were.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="powers_of_attorney"
    )
    holder_identifier = models.CharField(max_length=12)  # the representative's personnummer
    holder_name = models.CharField(max_length=200)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    valid_from = models.DateField()
    valid_until = models.DateField()
    source = models.CharField(max_length=12, choices=Source.choices)
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["holder_identifier"], name="power_holder")]

    def __str__(self) -> str:
        return f"PowerOfAttorney {self.pk}"  # no names or numbers: str() ends up in logs


class Guardianship(models.Model):
    """A child's guardian (vårdnadshavare) as the population register reports it.

    In training and tests this is the synthetic register; in production an adapter to the
    register fills it. A guardian acts for the child until the child turns 18.
    """

    child_identifier = models.CharField(max_length=12)
    guardian_identifier = models.CharField(max_length=12)
    guardian_name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child_identifier", "guardian_identifier"], name="guardianship_unique"
            )
        ]
        indexes = [models.Index(fields=["guardian_identifier"], name="guardianship_guardian")]

    def __str__(self) -> str:
        return f"Guardianship {self.pk}"


class PatientToken(models.Model):
    """A bearer token for the REST API issued in the e-service: it names the person and the
    patient they act for, and answers only while that representation still holds (the
    actor is resolved again on every request). Only the hash is stored."""

    key_hash = models.CharField(max_length=64, unique=True)
    person_identifier = models.CharField(max_length=12)
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    training = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"PatientToken {self.pk}"
