"""Stock at the distributor: reserved atomically when an urgent withdrawal is placed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor

from .models import NewsVisit, Product


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


def mark_news_read(*, actor: Actor) -> None:
    """The user has read the assortment news now: what was added before is no longer new."""
    if actor.user is None:
        return
    with transaction.atomic():
        NewsVisit.objects.update_or_create(user=actor.user, defaults={"visited_at": clock.now()})
        record("catalog.news.read", actor=actor)
