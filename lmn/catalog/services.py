"""Stock at the distributor: reserved atomically when an urgent withdrawal is placed."""

from __future__ import annotations

from django.db.models import F

from .models import Product


def reserve_stock(product: Product, quantity: int) -> bool:
    """Take `quantity` from stock if that much is there; False if not (AKUT-3, EXPR-4).

    A conditional UPDATE, so two orders for the last item cannot both succeed, on
    SQLite and PostgreSQL alike.
    """
    taken = Product.objects.filter(pk=product.pk, stock_quantity__gte=quantity).update(
        stock_quantity=F("stock_quantity") - quantity
    )
    return taken == 1


def release_stock(product: Product, quantity: int) -> None:
    """Put back what a cancelled or returned withdrawal had reserved."""
    Product.objects.filter(pk=product.pk).update(stock_quantity=F("stock_quantity") + quantity)
