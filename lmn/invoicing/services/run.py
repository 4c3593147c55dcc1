"""The monthly invoicing run: one invoice per payer and month (INV-1, INV-3).

Idempotent: a payer already invoiced for the month is skipped, and each withdrawal
line or fee is invoiced at most once (a unique index says so too). Each payer's
invoice is its own transaction: one payer's problem (no invoice address, a missing
price) is reported and leaves the others issued; that payer waits for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import IntegrityError, transaction

from lmn.audit.services import record
from lmn.catalog.queries import PriceBook
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.organisations.models import Payer
from lmn.withdrawals.states import WithdrawalStatus

from ..models import Invoice, InvoiceLine, InvoicingRun
from ..rules import month_start
from .credit import credit_invoice
from .issue import issue
from .lines import invoice_rows, payers_with_costs

log = logging.getLogger(__name__)


def run_invoicing(period: dt.date, *, actor: Actor) -> InvoicingRun:
    """Invoice every payer charged in the month of `period` that is not invoiced yet."""
    period = month_start(period)
    if period >= month_start(clock.today()):
        raise DomainError.single(
            "month_not_over", "Det går bara att fakturera en månad som är slut.", "period"
        )
    with transaction.atomic():
        run = InvoicingRun.objects.create(
            period=period, started_at=clock.now(), started_by=actor.hsa_id
        )
        record("invoicing.run.started", actor=actor, obj=run, data={"period": str(period)})
    book = PriceBook.load()
    for payer in Payer.objects.filter(pk__in=payers_with_costs(period)).order_by("pk"):
        outcome = _invoice_payer(payer, period, book, actor=actor)
        if outcome == "issued":
            run.issued += 1
        elif outcome == "already":
            run.already_invoiced += 1
        elif outcome is not None:
            run.problems.append({"payer": payer.name, "code": outcome[0], "message": outcome[1]})
    run.credit_notes = credit_cancelled_after_invoicing(actor=actor)
    run.finished_at = clock.now()
    run.save(
        update_fields=["issued", "already_invoiced", "problems", "credit_notes", "finished_at"]
    )
    log.info("invoicing %s: %d issued, %d problems", period, run.issued, len(run.problems))
    return run


def _invoice_payer(
    payer: Payer, period: dt.date, book: PriceBook, *, actor: Actor
) -> str | tuple[str, str] | None:
    if Invoice.objects.filter(payer=payer, period=period, kind=Invoice.Kind.INVOICE).exists():
        return "already"
    try:
        with transaction.atomic():
            invoice = issue(payer, period, invoice_rows(payer.pk, period, book), actor=actor)
    except DomainError as error:
        return (error.code, error.problems[0].message)
    except IntegrityError:
        # a concurrent run issued it while this one waited for the number (the unique
        # index on payer and month); the rollback gave the number back
        return "already"
    return "issued" if invoice else None


def credit_cancelled_after_invoicing(*, actor: Actor) -> int:
    """A withdrawal cancelled after it was invoiced: a credit note for its lines, one per
    invoice, referring to it (INV-2). Lines already credited in any part are left to
    LMN administration, so nothing is credited twice."""
    lines = (
        InvoiceLine.objects.filter(
            is_credit=False,
            kind=InvoiceLine.Kind.PRODUCT,
            withdrawal_line__withdrawal__status=WithdrawalStatus.CANCELLED,
            credited_by__isnull=True,
        )
        .order_by("invoice_id", "position")
        .values_list("invoice_id", "pk", "quantity")
    )
    per_invoice: dict[int, dict[int, Decimal]] = {}
    for invoice_id, pk, quantity in lines:
        per_invoice.setdefault(invoice_id, {})[pk] = abs(quantity)
    for invoice_id, quantities in per_invoice.items():
        invoice = Invoice.objects.select_related("payer").get(pk=invoice_id)
        credit_invoice(invoice, quantities, reason="Makulerat uttag", actor=actor)
    return len(per_invoice)
