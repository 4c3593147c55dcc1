from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _

from .states import EndReason, MoveStatus, PrescriptionStatus, VersionKind


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
    # RX-1: the current version; a change names the version it was based on and is refused
    # when another change came first (optimistic concurrency)
    version = models.PositiveIntegerField(default=1)
    # RX-1: from which day the current consumption applies (None: from the start), and the
    # consumptions before it as [[from ISO date or "", amount, period], ...] oldest first, so
    # entitlement counts every version without reading the history table
    consumption_from = models.DateField(null=True, blank=True)
    earlier_rates = models.JSONField(default=list, blank=True)
    # RX-3: when and why it was ended ("" while active or when the system ended it unnamed)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, blank=True)
    # replacing the product ends this one and starts another that names it
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    # the patient was told once that it expires soon (the expiry notice job)
    expiry_notice_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["patient", "status"], name="prescription_patient_status"),
            models.Index(fields=["unit", "status", "valid_until"], name="prescription_unit_expiry"),
        ]

    @property
    def per_day(self) -> Fraction:
        return Fraction(self.consumption_amount, PERIOD_DAYS[self.consumption_period])

    def rates(self) -> list[tuple[dt.date | None, Fraction]]:
        """Consumption per day over time, oldest first: (applies from, per day)."""
        earlier = [
            (dt.date.fromisoformat(day) if day else None, Fraction(amount, PERIOD_DAYS[period]))
            for day, amount, period in self.earlier_rates
        ]
        return [*earlier, (self.consumption_from, self.per_day)]

    @property
    def end_reason_label(self) -> str:
        return str(EndReason(self.end_reason).label) if self.end_reason in EndReason else ""

    @property
    def reference(self) -> str:
        """What the prescriber documents in the journal (GEN-2)."""
        return f"F{self.pk:08d}"

    def __str__(self) -> str:
        return self.reference


class PrescriptionVersion(models.Model):
    """One version of a prescription as it was saved (RX-1): the history shows who and when."""

    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=VersionKind.choices)
    consumption_amount = models.PositiveIntegerField()
    consumption_period = models.CharField(max_length=10, choices=ConsumptionPeriod.choices)
    valid_from = models.DateField()
    valid_until = models.DateField()
    max_supply_days = models.PositiveSmallIntegerField()
    instructions = models.CharField(max_length=500, blank=True)
    unit = models.ForeignKey(
        "organisations.PrescribingUnit", on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_by_role = models.CharField(max_length=20, blank=True)
    changed_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)  # e.g. the end reason's code

    class Meta:
        constraints = [
            # a second writer of the same version number loses here even without the lock
            models.UniqueConstraint(
                fields=["prescription", "number"], name="prescription_version_once"
            )
        ]
        ordering = ["prescription", "number"]


class PrescriptionMove(models.Model):
    """A request to move a prescription to another unit; it moves only on acceptance (RX-4)."""

    prescription = models.ForeignKey(Prescription, on_delete=models.PROTECT, related_name="moves")
    from_unit = models.ForeignKey(
        "organisations.PrescribingUnit", on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "organisations.PrescribingUnit", on_delete=models.PROTECT, related_name="incoming_moves"
    )
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    message = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=MoveStatus.choices, default=MoveStatus.PENDING)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prescription"],
                condition=models.Q(status="pending"),
                name="prescription_one_pending_move",
            )
        ]


class PrescriptionTemplate(models.Model):
    """A favourite product with its usual consumption: a prescriber's own, or a unit's."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.PrescribingUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prescription_templates",
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT)
    consumption_amount = models.PositiveIntegerField()
    consumption_period = models.CharField(max_length=10, choices=ConsumptionPeriod.choices)
    instructions = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, unit__isnull=True)
                | models.Q(user__isnull=True, unit__isnull=False),
                name="template_owner_user_or_unit",
            ),
            models.UniqueConstraint(fields=["user", "product"], name="template_user_product"),
            models.UniqueConstraint(fields=["unit", "product"], name="template_unit_product"),
        ]


class PrescriptionRequest(models.Model):
    """An API request's Idempotency-Key for a prescription action, stored with its result
    in the action's transaction: the same request again answers with that result."""

    actor_key = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    result_type = models.CharField(max_length=60)  # the result's model, e.g. a move
    result_id = models.BigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor_key", "key"], name="prescription_request_key")
        ]
