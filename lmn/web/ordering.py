"""Pickup point search for the ordering form (the allowed speeds come from delivery.rules)."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from lmn.delivery.models import PickupPoint
from lmn.delivery.queries import pickup_points_matching

PICKUP_LIMIT = 10


def search_pickup_points(q: str) -> QuerySet[PickupPoint]:
    """Active pickup points by postcode (digits) or by town or name (PICK-3)."""
    q = " ".join(q.split())
    if not q:
        return PickupPoint.objects.none()
    digits = re.sub(r"\s", "", q)
    if digits.isdigit():
        return pickup_points_matching(postcode=digits)
    return pickup_points_matching(q=q)


def pickup_results(q: str, selected_code: str) -> tuple[list[PickupPoint], PickupPoint | None]:
    """The first matches, with the chosen point kept first so a new search never loses it."""
    selected = (
        PickupPoint.objects.filter(code=selected_code, active=True).first()
        if selected_code
        else None
    )
    found = search_pickup_points(q)[:PICKUP_LIMIT] if q.strip() else []  # none asked: no query
    matches = [p for p in found if p != selected]
    return ([selected] if selected else []) + matches, selected
