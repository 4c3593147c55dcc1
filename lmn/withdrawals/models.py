from __future__ import annotations

from django.db import models

from .states import WithdrawalStatus


class Withdrawal(models.Model):
    """An order (uttag) against one patient's prescriptions, numbered U + 8 digits."""

    number = models.CharField(max_length=9, unique=True)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="withdrawals"
    )
    ordering_unit = models.ForeignKey(
        "organisations.PrescribingUnit", on_delete=models.PROTECT, null=True, blank=True
    )
    ordered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True)
    ordered_by_role = models.CharField(max_length=20)
    status = models.CharField(
        max_length=12, choices=WithdrawalStatus.choices, default=WithdrawalStatus.PLACED
    )
    placed_at = models.DateTimeField()
    # delivery details, as given by whoever ordered (GEN-5)
    destination = models.CharField(max_length=20)
    speed = models.CharField(max_length=20)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    care_of = models.CharField(max_length=100, blank=True)
    door_code = models.CharField(max_length=20, blank=True)
    entry_phone = models.BooleanField(default=False)
    name_on_door = models.BooleanField(default=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.CharField(max_length=254, blank=True)
    contact_person = models.CharField(max_length=100, blank=True)
    notify_by = models.CharField(max_length=10, blank=True)
    pickup_point_id = models.CharField(max_length=40, blank=True)
    promised_delivery_date = models.DateField(null=True, blank=True)
    promise_note = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "placed_at"], name="withdrawal_patient_placed")]

    def __str__(self) -> str:
        return self.number


class WithdrawalLine(models.Model):
    """One product of a withdrawal; charged to the payer of its area for the prescribing unit."""

    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE, related_name="lines")
    prescription = models.ForeignKey(
        "prescriptions.Prescription", on_delete=models.PROTECT, related_name="withdrawal_lines"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()
    payer = models.ForeignKey("organisations.Payer", on_delete=models.PROTECT)


class WithdrawalFee(models.Model):
    """An extra cost on a withdrawal (emergency, express, return…), charged to a payer."""

    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(max_length=30)
    amount_sek = models.DecimalField(max_digits=10, decimal_places=2)
    payer = models.ForeignKey("organisations.Payer", on_delete=models.PROTECT)


class WithdrawalEvent(models.Model):
    """Status history: one row per transition."""

    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor_hsa_id = models.CharField(max_length=60)


class NumberCounter(models.Model):
    """Monotonic counters, e.g. withdrawal numbers; bumped with a conditional update."""

    name = models.CharField(max_length=30, unique=True)
    value = models.BigIntegerField()


class IdempotencyRecord(models.Model):
    """Idempotency-Key of a withdrawal request, kept with its result in the same transaction."""

    actor_key = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor_key", "key"], name="idempotency_actor_key")
        ]
