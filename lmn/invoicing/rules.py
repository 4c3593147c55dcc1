"""Pure invoicing rules: rounding, the VAT breakdown, what a payer needs, credit limits.

Amounts are rounded once per line and once per VAT rate, half up to öre, the way
EN 16931 sums them (BR-CO-10..BR-CO-17, BR-S-08): a document's VAT is the sum of its
per-rate VAT amounts, each computed from the sum of that rate's line amounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from lmn.catalog.models import VatRate
from lmn.core.errors import DomainError

CENT = Decimal("0.01")
PAYMENT_DAYS = 30  # the region's terms: payable 30 days after the issue date
FEE_VAT_CODE = VatRate.FEES


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return money(quantity * unit_price)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(period: dt.date) -> dt.date:
    return (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass
class Totals:
    """Sums of a document, kept while its lines stream by (one pass, constant memory)."""

    taxable: dict[tuple[str, Decimal], Decimal] = field(default_factory=dict)
    lines: int = 0

    def add(self, category: str, percent: Decimal, amount: Decimal) -> None:
        key = (category, percent)
        self.taxable[key] = self.taxable.get(key, Decimal(0)) + amount
        self.lines += 1

    def breakdown(self) -> list[dict[str, str]]:
        """Per VAT rate: the taxable amount and its VAT, highest rate first (BR-S-08)."""
        rows = []
        for (category, percent), taxable in sorted(self.taxable.items(), key=lambda i: -i[0][1]):
            tax = money(taxable * percent / 100)
            rows.append(
                {
                    "category": category,
                    "percent": str(percent),
                    "taxable": str(taxable),
                    "tax": str(tax),
                }
            )
        return rows

    @property
    def net(self) -> Decimal:
        return sum(self.taxable.values(), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        return sum((Decimal(r["tax"]) for r in self.breakdown()), Decimal("0.00"))


def check_payer(*, name: str, street: str, postcode: str, city: str) -> None:
    """A payer without an invoice address cannot be invoiced: its lines wait (INV-1)."""
    if not (street.strip() and postcode.strip() and city.strip()):
        raise DomainError.single(
            "payer_without_invoice_address",
            _("Betalaren %(name)s saknar fakturaadress.") % {"name": name},
            "payer",
        )


def check_credit(*, invoiced: Decimal, credited: Decimal, quantity: Decimal, field: str) -> None:
    """A credit note credits at most what is left of each invoice line (INV-2)."""
    if quantity <= 0:
        raise DomainError.single(
            "credit_quantity_not_positive", _("Ange ett antal större än noll att kreditera."), field
        )
    if credited + quantity > invoiced:
        message = _("Det går inte att kreditera mer än vad som fakturerats (%(left)s kvar).")
        raise DomainError.single(
            "credit_exceeds_invoice", message % {"left": invoiced - credited}, field
        )
