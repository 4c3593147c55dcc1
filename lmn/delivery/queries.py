from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from .models import PickupPoint


def pickup_points_matching(postcode: str = "", q: str = "") -> QuerySet[PickupPoint]:
    """Active pickup points in a postcode area (first three digits) and/or by name or city."""
    found = PickupPoint.objects.filter(active=True)
    digits = re.sub(r"\s", "", postcode or "")
    if digits:
        found = found.filter(postcode__startswith=digits[:3])
    q = (q or "").strip()
    if q:
        found = found.filter(Q(name__icontains=q) | Q(city__icontains=q))
    return found.order_by("city", "name", "code")
