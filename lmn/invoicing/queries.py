"""What an actor may see of invoicing: LMN administration sees every invoice and run."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum

from lmn.core.actor import Actor, Role
from lmn.core.errors import NotFound

from .models import Invoice, InvoiceLine, InvoicingRun


def invoices_visible_to(actor: Actor) -> QuerySet[Invoice]:
    qs = Invoice.objects.select_related("payer", "credits").defer("pdf", "ubl")
    return qs if actor.role == Role.ADMIN else qs.none()


def invoice_for(actor: Actor, invoice_id: int, *, documents: bool = False) -> Invoice:
    qs = Invoice.objects.select_related("payer", "credits")
    found = (qs if documents else qs.defer("pdf", "ubl")).filter(pk=invoice_id).first()
    if found is None or actor.role != Role.ADMIN:
        raise NotFound
    return found


def runs_visible_to(actor: Actor) -> QuerySet[InvoicingRun]:
    qs = InvoicingRun.objects.all()
    return qs if actor.role == Role.ADMIN else qs.none()


def left_to_credit(invoice: Invoice, position: int | None = None) -> dict[int, Decimal]:
    """Invoice line id -> quantity not yet credited (all lines, or the one at `position`)."""
    lines = invoice.lines.filter(is_credit=False)
    if position is not None:
        lines = lines.filter(position=position)
    left: dict[int, Decimal] = dict(lines.values_list("pk", "quantity"))
    credited = (
        InvoiceLine.objects.filter(credited_line__in=list(left))
        .values("credited_line")
        .annotate(q=Sum("quantity"))
    )
    for row in credited:
        left[row["credited_line"] or 0] -= row["q"]
    return {pk: abs(q) for pk, q in left.items() if q != 0}
