"""The invoice's lines as CSV (semicolon-separated, Swedish decimal comma), streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Invoice

HEADER = [
    "fakturanummer", "rad", "typ", "uttagsnummer", "datum", "kundnummer", "produktomrade",
    "artikelnummer", "benamning", "antal", "enhet", "a_pris", "moms_procent", "belopp",
]  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


def _sv(value: object) -> str:
    return str(value).replace(".", ",")


def rows(invoice: Invoice) -> Iterator[str]:
    """One CSV text line at a time (for a StreamingHttpResponse), header first."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(HEADER)  # the BOM makes Excel read UTF-8
    for line in invoice.lines.order_by("position").iterator(chunk_size=2000):
        yield writer.writerow(
            [
                invoice.number, line.position, line.kind, line.withdrawal_number,
                line.withdrawal_date.isoformat(), line.customer_number, line.area_code,
                line.article_number, line.description, _sv(line.quantity), line.unit,
                _sv(line.unit_price), _sv(line.vat_percent), _sv(line.amount),
            ]
        )  # fmt: skip
