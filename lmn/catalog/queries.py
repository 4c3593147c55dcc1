from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from lmn.core import clock
from lmn.core.actor import Actor

from .models import AssortmentNews, NewsVisit, Product, ProductPrice


def search_products(
    q: str = "", *, area_code: str | None = None, areas: Iterable[str] | None = None
) -> QuerySet[Product]:
    """Active products matching name or article number, REK first (GEN-6)."""
    qs = Product.objects.filter(active=True).select_related("area")
    if area_code:
        qs = qs.filter(area__code=area_code)
    if areas is not None:
        qs = qs.filter(area__code__in=list(areas))
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(article_number__startswith=q))
    return qs.order_by("area__sort_order", "-recommended", "name")


@dataclass(frozen=True)
class NewsItem:
    news: AssortmentNews
    is_new: bool  # added after the user last read the news (GEN-6)


def news_for(actor: Actor, *, limit: int | None = None) -> list[NewsItem]:
    """Published assortment news for the actor's areas and for every area, latest first,
    each marked new if added since the user last read the news (GEN-6).

    A role without areas of its own (customer service, administration) sees all news.
    """
    qs = AssortmentNews.objects.filter(published__lte=clock.today()).select_related("area")
    if actor.areas:
        qs = qs.filter(Q(area__isnull=True) | Q(area__code__in=sorted(actor.areas)))
    if limit is not None:
        qs = qs[:limit]
    last = (
        NewsVisit.objects.filter(user=actor.user).values_list("visited_at", flat=True).first()
        if actor.user is not None
        else None
    )
    return [NewsItem(n, last is None or n.created_at > last) for n in qs]


def news_by_area(items: list[NewsItem]) -> list[tuple[str, list[NewsItem]]]:
    """The items per area (news for every area first), each area's latest first."""
    groups: dict[str, list[NewsItem]] = {}
    order: dict[str, int] = {}
    for item in items:
        area = item.news.area
        name = area.name if area else gettext("Alla produktområden")
        groups.setdefault(name, []).append(item)
        order.setdefault(name, area.sort_order if area else -1)
    return sorted(groups.items(), key=lambda g: order[g[0]])


def price_on(product: Product | int, day: datetime.date) -> ProductPrice | None:
    """The price valid on `day` (the latest row from that day or before), None if the
    product had no price then (INV-1)."""
    product_id = product if isinstance(product, int) else product.pk
    return (
        ProductPrice.objects.filter(product_id=product_id, valid_from__lte=day)
        .select_related("vat_rate")
        .order_by("-valid_from")
        .first()
    )


@dataclass
class PriceBook:
    """Every price row in memory, for runs that price many lines (the invoicing run, the
    cost dashboards): one query, then `on()` is a binary search. A price list is a few
    thousand rows, so this stays small however many lines are priced."""

    _rows: dict[int, tuple[list[datetime.date], list[ProductPrice]]] = field(default_factory=dict)

    @classmethod
    def load(cls, product_ids: Iterable[int] | None = None) -> PriceBook:
        qs = ProductPrice.objects.select_related("vat_rate").order_by("product_id", "valid_from")
        if product_ids is not None:
            qs = qs.filter(product_id__in=list(product_ids))
        book = cls()
        for row in qs:
            dates, prices = book._rows.setdefault(row.product_id, ([], []))
            dates.append(row.valid_from)
            prices.append(row)
        return book

    def on(self, product_id: int, day: datetime.date) -> ProductPrice | None:
        entry = self._rows.get(product_id)
        if entry is None:
            return None
        at = bisect.bisect_right(entry[0], day)
        return entry[1][at - 1] if at else None
