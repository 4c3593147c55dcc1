"""Invoices and credit notes (INV-1..INV-4).

An issued document never changes (INV-2): its rows are written once, inside the
transaction that takes its number, with its PDF and UBL as issued; `save()` refuses an
update, so a correction can only be a new credit note referring to it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableError(Exception):
    """An issued invoice or its lines were about to be changed (INV-2)."""


class Invoice(models.Model):
    """One payer's invoice for one month, or a credit note referring to an invoice."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Faktura")
        CREDIT_NOTE = "credit_note", _("Kreditnota")

    number = models.PositiveBigIntegerField(unique=True)  # one gap-free series (INV-3)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    payer = models.ForeignKey("organisations.Payer", on_delete=models.PROTECT, related_name="+")
    period = models.DateField()  # the first day of the invoiced month
    issue_date = models.DateField()
    due_date = models.DateField()
    issued_at = models.DateTimeField()
    credits = models.ForeignKey(  # the invoice a credit note corrects (INV-2)
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    reason = models.CharField(max_length=200, blank=True)  # a credit note's reason
    # the buyer as it was when issued: later changes to the payer do not touch this
    buyer_name = models.CharField(max_length=200)
    buyer_organisation_number = models.CharField(max_length=10, blank=True)
    buyer_reference = models.CharField(max_length=100, blank=True)
    buyer_street = models.CharField(max_length=200)
    buyer_postcode = models.CharField(max_length=5)
    buyer_city = models.CharField(max_length=100)
    buyer_peppol_scheme = models.CharField(max_length=4, blank=True)
    buyer_peppol_id = models.CharField(max_length=50, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    net_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    vat_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    gross_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # [{"category": "S", "percent": "25.00", "taxable": "…", "tax": "…"}], per rate (BR-S-08)
    vat_breakdown = models.JSONField(default=list)
    pdf = models.BinaryField()  # exactly as issued
    ubl = models.BinaryField(blank=True, default=b"")  # Peppol BIS 3 UBL, for Peppol payers

    class Meta:
        ordering = ["-number"]
        constraints = [
            # the run is idempotent: one invoice per payer and month (INV-3)
            models.UniqueConstraint(
                fields=["payer", "period"],
                condition=models.Q(kind="invoice"),
                name="invoice_once_per_payer_month",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="invoice", credits__isnull=True)
                | models.Q(kind="credit_note", credits__isnull=False),
                name="invoice_credit_note_refers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError(f"invoice {self.number} is issued and never changes")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError(f"invoice {self.number} is issued and never removed")


class InvoiceLine(models.Model):
    """A withdrawal line or a fee, as invoiced (or credited); amounts excluding VAT."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("Produkt")
        FEE = "fee", _("Avgift")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    is_credit = models.BooleanField(default=False)  # a credit note's line
    withdrawal_line = models.ForeignKey(
        "withdrawals.WithdrawalLine", on_delete=models.PROTECT, null=True, related_name="+"
    )
    fee = models.ForeignKey(
        "withdrawals.WithdrawalFee", on_delete=models.PROTECT, null=True, related_name="+"
    )
    credited_line = models.ForeignKey(  # the invoice line a credit note line corrects
        "self", on_delete=models.PROTECT, null=True, related_name="credited_by"
    )
    withdrawal_number = models.CharField(max_length=9)
    withdrawal_date = models.DateField()
    article_number = models.CharField(max_length=20, blank=True)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=20)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    vat_category = models.CharField(max_length=2)
    vat_percent = models.DecimalField(max_digits=5, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)  # quantity × price, rounded
    area_code = models.CharField(max_length=30)
    customer_number = models.CharField(max_length=6)  # the ordering unit

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            # a withdrawal line and a fee are invoiced once (the run is idempotent)
            models.UniqueConstraint(
                fields=["withdrawal_line"],
                condition=models.Q(is_credit=False, withdrawal_line__isnull=False),
                name="invoiceline_withdrawal_line_once",
            ),
            models.UniqueConstraint(
                fields=["fee"],
                condition=models.Q(is_credit=False, fee__isnull=False),
                name="invoiceline_fee_once",
            ),
            models.UniqueConstraint(fields=["invoice", "position"], name="invoiceline_position"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("an issued invoice line never changes")
        super().save(*args, **kwargs)


class InvoiceCounter(models.Model):
    """The invoice number series: one row, bumped inside the issuing transaction (INV-3)."""

    name = models.CharField(max_length=30, unique=True)
    value = models.BigIntegerField()


class InvoicingRun(models.Model):
    """One start of the monthly run and what it did: its report for LMN administration."""

    period = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.CharField(max_length=60)  # the actor's HSA id or the job's name
    issued = models.PositiveIntegerField(default=0)
    already_invoiced = models.PositiveIntegerField(default=0)
    credit_notes = models.PositiveIntegerField(default=0)  # for withdrawals cancelled later
    # [{"payer": name, "code": …, "message": …}]: payers left for the next run
    problems = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]
