"""Issuing one document: number, lines, totals, PDF and UBL in one transaction (INV-2, INV-3).

Either all of it is written or none of it: a failure anywhere (a missing price, a
killed process) rolls the transaction back, and the number goes back with it, so the
series keeps no gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import count

from django.db import transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.series import next_gap_free
from lmn.organisations.models import Payer

from .. import formats
from ..models import Invoice, InvoiceCounter, InvoiceLine
from ..rules import PAYMENT_DAYS, Totals, check_payer

BATCH = 1000
FIRST_NUMBER = 1


def issue(
    payer: Payer,
    period: dt.date,
    rows: Iterable[InvoiceLine],
    *,
    actor: Actor,
    credits: Invoice | None = None,
    reason: str = "",
) -> Invoice | None:
    """Write the document with its rows; None (and nothing written) if there are no rows.

    Call inside transaction.atomic(): the caller decides what else belongs to it.
    """
    assert transaction.get_connection().in_atomic_block
    check_payer(
        name=payer.name, street=payer.invoice_street, postcode=payer.invoice_postcode,
        city=payer.invoice_city,
    )  # fmt: skip
    number = next_gap_free(InvoiceCounter, "invoice", first=FIRST_NUMBER)
    invoice = _header(payer, period, number, credits=credits, reason=reason)
    totals = _write_lines(invoice, rows)
    if totals.lines == 0:
        transaction.set_rollback(True)  # nothing to invoice: the number is given back
        return None
    pdf, ubl = formats.render(invoice, totals)
    Invoice.objects.filter(pk=invoice.pk).update(
        line_count=totals.lines, net_total=totals.net, vat_total=totals.vat,
        gross_total=totals.net + totals.vat, vat_breakdown=totals.breakdown(), pdf=pdf, ubl=ubl,
    )  # fmt: skip
    invoice.refresh_from_db()
    action = "invoicing.credit_note.issued" if credits else "invoicing.invoice.issued"
    record(action, actor=actor, obj=invoice, data={"number": number, "lines": totals.lines})
    return invoice


def _header(
    payer: Payer, period: dt.date, number: int, *, credits: Invoice | None, reason: str
) -> Invoice:
    today = clock.today()
    return Invoice.objects.create(
        number=number,
        kind=Invoice.Kind.CREDIT_NOTE if credits else Invoice.Kind.INVOICE,
        payer=payer, period=period, issue_date=today,
        due_date=today + dt.timedelta(days=PAYMENT_DAYS), issued_at=clock.now(),
        credits=credits, reason=reason, buyer_name=payer.name,
        buyer_organisation_number=payer.organisation_number,
        buyer_reference=payer.invoice_reference, buyer_street=payer.invoice_street,
        buyer_postcode=payer.invoice_postcode, buyer_city=payer.invoice_city,
        buyer_peppol_scheme=payer.peppol_scheme if payer.uses_peppol else "",
        buyer_peppol_id=payer.peppol_id if payer.uses_peppol else "", pdf=b"",
    )  # fmt: skip


def _write_lines(invoice: Invoice, rows: Iterable[InvoiceLine]) -> Totals:
    """Bulk-insert the rows in batches while summing them: memory stays one batch."""
    totals = Totals()
    batch: list[InvoiceLine] = []
    positions = count(1)
    for row in rows:
        row.invoice = invoice
        row.position = next(positions)
        totals.add(row.vat_category, row.vat_percent, row.amount)
        batch.append(row)
        if len(batch) >= BATCH:
            InvoiceLine.objects.bulk_create(batch)
            batch.clear()
    if batch:
        InvoiceLine.objects.bulk_create(batch)
    return totals
