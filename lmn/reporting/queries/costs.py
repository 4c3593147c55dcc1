"""What the lines cost: each line at the price valid on the day it was ordered (INV-1),
excluding VAT, computed in the database so that a year of the region's lines is one
grouped query rather than a loop (lmn.catalog's ProductPrice, as invoicing prices)."""

from __future__ import annotations

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate

from lmn.catalog.models import ProductPrice
from lmn.core import clock
from lmn.withdrawals.models import WithdrawalLine

MONEY = DecimalField(max_digits=14, decimal_places=2)


def priced(lines: QuerySet[WithdrawalLine]) -> QuerySet[WithdrawalLine]:
    """The lines with `unit_price`: the price of the product on the Swedish day of
    ordering (None where the product had no price then; such a line costs nothing here)."""
    price = (
        ProductPrice.objects.filter(
            product_id=OuterRef("product_id"), valid_from__lte=OuterRef("ordered_on")
        )
        .order_by("-valid_from")
        .values("unit_price")[:1]
    )
    return (
        lines.annotate(ordered_on=TruncDate("withdrawal__placed_at", tzinfo=clock.STOCKHOLM))
        .annotate(unit_price=Subquery(price, output_field=MONEY))
        # resolved here, before a grouping names its own sum "quantity"
        .annotate(line_cost=ExpressionWrapper(F("quantity") * F("unit_price"), MONEY))
    )


def cost() -> Sum:
    """The aggregate of a priced queryset: quantity times unit price, summed."""
    return Sum("line_cost", output_field=MONEY)
