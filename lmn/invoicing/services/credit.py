"""Credit notes: the only way to correct an issued invoice (INV-2)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from lmn.core.actor import Actor
from lmn.core.errors import DomainError

from ..models import Invoice, InvoiceLine
from ..rules import check_credit, line_amount
from .issue import issue


def credit_invoice(
    invoice: Invoice, quantities: dict[int, Decimal], *, reason: str, actor: Actor
) -> Invoice:
    """A credit note for `quantities` (invoice line id -> quantity to credit) of `invoice`,
    referring to it; refused if any line would be credited beyond what it invoiced."""
    if invoice.is_credit_note:
        raise DomainError.single(
            "credit_of_credit_note", "En kreditnota kan inte krediteras.", "invoice"
        )
    if not reason.strip():
        raise DomainError.single(
            "credit_reason_missing", "Ange orsaken till krediteringen.", "reason"
        )
    if not quantities:
        raise DomainError.single("credit_empty", "Välj minst en rad att kreditera.", "lines")
    with transaction.atomic():
        # lock the original so two credit notes for the same lines take turns (PostgreSQL)
        Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        rows = [_credit_row(invoice, pk, q) for pk, q in sorted(quantities.items())]
        made = issue(
            invoice.payer, invoice.period, rows, actor=actor, credits=invoice, reason=reason[:200]
        )
    assert made is not None
    return made


def _credit_row(invoice: Invoice, line_id: int, quantity: Decimal) -> InvoiceLine:
    line = InvoiceLine.objects.filter(invoice=invoice, pk=line_id, is_credit=False).first()
    if line is None:
        raise DomainError.single("credit_line_unknown", "Raden finns inte på fakturan.", "lines")
    credited = InvoiceLine.objects.filter(credited_line=line).aggregate(q=Sum("quantity"))["q"]
    check_credit(
        invoiced=abs(line.quantity), credited=credited or Decimal(0), quantity=quantity,
        field=f"line_{line.pk}",
    )  # fmt: skip
    return InvoiceLine(
        kind=line.kind, is_credit=True, credited_line=line, withdrawal_line=line.withdrawal_line,
        fee=line.fee, withdrawal_number=line.withdrawal_number,
        withdrawal_date=line.withdrawal_date, article_number=line.article_number,
        description=line.description, quantity=quantity, unit=line.unit,
        unit_price=line.unit_price, vat_category=line.vat_category,
        vat_percent=line.vat_percent, amount=line_amount(quantity, line.unit_price),
        area_code=line.area_code, customer_number=line.customer_number,
    )  # fmt: skip
