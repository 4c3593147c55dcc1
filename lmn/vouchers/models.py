"""Paper vouchers (talonger) for patients without e-identification.

The prescriber chooses vouchers for a prescription; the patient gets a letter with a
code, and customer service types or scans the code to place the order with the
patient's delivery details. A used voucher brings the next one while something remains.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VoucherPlan(models.Model):
    """The prescriber's choice that this prescription is ordered with vouchers."""

    prescription = models.OneToOneField(
        "prescriptions.Prescription", on_delete=models.CASCADE, related_name="voucher_plan"
    )
    chosen_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    chosen_at = models.DateTimeField()


class VoucherStatus(models.TextChoices):
    ISSUED = "issued", _("Skickad")  # sent to the patient, not yet used
    USED = "used", _("Använd")  # an order was placed with it
    VOID = "void", _("Makulerad")  # nothing left to order, or the prescription ended


class Voucher(models.Model):
    code = models.CharField(max_length=12, unique=True)
    prescription = models.ForeignKey(
        "prescriptions.Prescription", on_delete=models.PROTECT, related_name="vouchers"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT)
    usable_from = models.DateField()  # the day the entitlement allows the next order
    status = models.CharField(
        max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.ISSUED
    )
    issued_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawal = models.OneToOneField(
        "withdrawals.Withdrawal", null=True, blank=True, on_delete=models.PROTECT
    )
    letter_pdf = models.BinaryField()  # the letter exactly as sent

    class Meta:
        constraints = [
            # at most one voucher out per prescription at a time
            models.UniqueConstraint(
                fields=["prescription"],
                condition=models.Q(status="issued"),
                name="one_issued_voucher_per_prescription",
            )
        ]
