"""The rows a payer's monthly invoice is made of, streamed from the withdrawals (INV-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from lmn.catalog.models import VatRate
from lmn.catalog.queries import PriceBook
from lmn.core import clock
from lmn.core.errors import DomainError
from lmn.withdrawals.models import WithdrawalFee, WithdrawalLine
from lmn.withdrawals.states import WithdrawalStatus

from ..models import InvoiceLine
from ..rules import FEE_VAT_CODE, line_amount, next_month

CHUNK = 2000


def month_bounds(period: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month in Swedish time: a withdrawal at 00:30 on the 1st belongs to that month."""
    start = dt.datetime.combine(period, dt.time(), tzinfo=clock.STOCKHOLM)
    end = dt.datetime.combine(next_month(period), dt.time(), tzinfo=clock.STOCKHOLM)
    return start, end


def withdrawal_lines(period: dt.date) -> Q:
    start, end = month_bounds(period)
    return Q(withdrawal__placed_at__gte=start, withdrawal__placed_at__lt=end) & ~Q(
        withdrawal__status=WithdrawalStatus.CANCELLED
    )


def fees(period: dt.date) -> Q:
    start, end = month_bounds(period)
    return Q(charged_at__gte=start, charged_at__lt=end)


def payers_with_costs(period: dt.date) -> list[int]:
    """Every payer charged in the month, for a product or a fee (UNIT-1, UNIT-2)."""
    ids = set(
        WithdrawalLine.objects.filter(withdrawal_lines(period))
        .values_list("payer_id", flat=True)
        .distinct()
    )
    ids |= set(
        WithdrawalFee.objects.annotate(charged_at=Coalesce("created_at", "withdrawal__placed_at"))
        .filter(fees(period))
        .values_list("payer_id", flat=True)
        .distinct()
    )
    return sorted(ids)


def invoice_rows(payer_id: int, period: dt.date, book: PriceBook) -> Iterator[InvoiceLine]:
    """Unsaved invoice lines, product lines by withdrawal then fees, never all in memory."""
    yield from _product_rows(payer_id, period, book)
    yield from _fee_rows(payer_id, period)


def _product_rows(payer_id: int, period: dt.date, book: PriceBook) -> Iterator[InvoiceLine]:
    invoiced = InvoiceLine.objects.filter(withdrawal_line=OuterRef("pk"), is_credit=False)
    rows = (
        WithdrawalLine.objects.filter(withdrawal_lines(period), payer_id=payer_id)
        .filter(~Exists(invoiced))
        .order_by("withdrawal__placed_at", "pk")
        .values_list(
            "pk", "withdrawal__number", "withdrawal__placed_at", "product_id",
            "product__article_number", "product__name", "product__ordering_unit",
            "product__area__code", "withdrawal__ordering_unit__customer_number", "quantity",
        )
    )  # fmt: skip
    for (
        pk,
        number,
        placed_at,
        product_id,
        article,
        name,
        unit,
        area,
        customer,
        qty,
    ) in rows.iterator(chunk_size=CHUNK):
        day = placed_at.astimezone(clock.STOCKHOLM).date()
        price = book.on(product_id, day)
        if price is None:
            raise DomainError.single(
                "price_missing", f"Artikel {article} saknar pris för {day.isoformat()}.", "price"
            )
        quantity = Decimal(qty)
        yield InvoiceLine(
            kind=InvoiceLine.Kind.PRODUCT, withdrawal_line_id=pk, withdrawal_number=number,
            withdrawal_date=day, article_number=article, description=name[:200],
            quantity=quantity, unit=unit, unit_price=price.unit_price,
            vat_category=price.vat_rate.category, vat_percent=price.vat_rate.percent,
            amount=line_amount(quantity, price.unit_price), area_code=area,
            customer_number=customer or "",
        )  # fmt: skip


def _fee_rows(payer_id: int, period: dt.date) -> Iterator[InvoiceLine]:
    vat = VatRate.objects.get(code=FEE_VAT_CODE)
    invoiced = InvoiceLine.objects.filter(fee=OuterRef("pk"), is_credit=False)
    rows = (
        WithdrawalFee.objects.annotate(charged_at=Coalesce("created_at", "withdrawal__placed_at"))
        .filter(fees(period), payer_id=payer_id)
        .filter(~Exists(invoiced))
        .order_by("charged_at", "pk")
        .values_list(
            "pk", "withdrawal__number", "charged_at", "kind", "label", "amount_sek",
            "withdrawal__ordering_unit__customer_number",
        )
    )  # fmt: skip
    for pk, number, charged_at, kind, label, amount, customer in rows.iterator(chunk_size=CHUNK):
        # a reversed fee is one unit less at the fee's price: a price is never negative
        yield InvoiceLine(
            kind=InvoiceLine.Kind.FEE, fee_id=pk, withdrawal_number=number,
            withdrawal_date=charged_at.astimezone(clock.STOCKHOLM).date(),
            description=(label or kind)[:200], quantity=Decimal(1 if amount >= 0 else -1),
            unit="st", unit_price=abs(amount), vat_category=vat.category, vat_percent=vat.percent,
            amount=amount, area_code="", customer_number=customer or "",
        )  # fmt: skip
