"""The invoice as a Swedish PDF (WeasyPrint), with the payer's address and reference.

A long invoice lists its lines per ordering unit and product area; the full line
specification is the CSV, so the PDF stays a few pages however many lines there are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from ..seller import seller

if TYPE_CHECKING:
    from ..models import Invoice
    from ..rules import Totals

LINE_LIMIT = 300  # more lines than this: a summary, and the lines in the CSV
# one fetcher for every invoice (making one loads the system's certificates), and it
# fetches nothing: an invoice is rendered from its own HTML only
FETCHER = URLFetcher(allowed_protocols=["data"])


def render(invoice: Invoice, totals: Totals) -> bytes:
    many = totals.lines > LINE_LIMIT
    lines = invoice.lines.order_by("position")
    context = {
        "invoice": invoice,
        "seller": seller(),
        "breakdown": totals.breakdown(),
        "net": totals.net,
        "vat": totals.vat,
        "gross": totals.net + totals.vat,
        "lines": None if many else list(lines),
        "summary": (
            list(
                lines.values("customer_number", "area_code", "kind")
                .annotate(count=Count("pk"), amount=Sum("amount"))
                .order_by("customer_number", "area_code", "kind")
            )
            if many
            else None
        ),
    }
    with translation.override("sv"):
        html = render_to_string("invoicing/invoice_pdf.html", context)
    pdf: bytes = HTML(string=html, url_fetcher=FETCHER).write_pdf()
    return pdf
