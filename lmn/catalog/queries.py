from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import Product


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
