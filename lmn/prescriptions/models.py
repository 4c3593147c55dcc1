from __future__ import annotations

from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _

from .states import PrescriptionStatus


class ConsumptionPeriod(models.TextChoices):
    DAY = "day", _("per dag")
    WEEK = "week", _("per vecka")
    MONTH = "month", _("per månad")


PERIOD_DAYS: dict[str, int] = {
    ConsumptionPeriod.DAY: 1,
    ConsumptionPeriod.WEEK: 7,
    ConsumptionPeriod.MONTH: 30,
}


class Prescription(models.Model):
    """A saved prescription (förskrivning) that withdrawals are made against (GEN-2, GEN-3).

    Amounts are in the product's ordering unit.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="prescriptions"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT)
    unit = models.ForeignKey(
        "organisations.PrescribingUnit", on_delete=models.PROTECT, related_name="prescriptions"
    )
    prescriber = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    consumption_amount = models.PositiveIntegerField()
    consumption_period = models.CharField(max_length=10, choices=ConsumptionPeriod.choices)
    valid_from = models.DateField()
    valid_until = models.DateField()
    max_supply_days = models.PositiveSmallIntegerField()
    instructions = models.CharField(max_length=500, blank=True)
    # ASYL-2/UT-1: for an adult asylum seeker or person without permit, the prescriber's
    # recorded decision that the care cannot wait; None where the question does not arise
    care_cannot_wait = models.BooleanField(null=True, blank=True)
    # SKYDD-3: a protected-identity prescription allows exactly one withdrawal
    single_withdrawal = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=PrescriptionStatus.choices, default=PrescriptionStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "status"], name="prescription_patient_status")]

    @property
    def per_day(self) -> Fraction:
        return Fraction(self.consumption_amount, PERIOD_DAYS[self.consumption_period])

    @property
    def reference(self) -> str:
        """What the prescriber documents in the journal (GEN-2)."""
        return f"F{self.pk:08d}"

    def __str__(self) -> str:
        return self.reference
