"""The documents of an invoice as issued: PDF for everyone, UBL for Peppol payers (INV-4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import pdf, ubl

if TYPE_CHECKING:
    from ..models import Invoice
    from ..rules import Totals


def render(invoice: Invoice, totals: Totals) -> tuple[bytes, bytes]:
    document = ubl.render(invoice, totals) if invoice.buyer_peppol_id else b""
    return pdf.render(invoice, totals), document
