"""What the ordering form offers: the speeds this actor may choose, and pickup point search.

The form shows only the allowed speeds and says in Swedish why the others are missing;
the rules themselves stay in `lmn.delivery.rules` and are checked again by the service.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from lmn.catalog.models import Product, ProductArea
from lmn.core.actor import Actor
from lmn.delivery.details import Speed
from lmn.delivery.models import PickupPoint, RegionPolicy

EXPRESS_REASON = "Express gäller bara nutritionsprodukter och beställs av förskrivaren."
PICKUP_LIMIT = 10


@dataclass
class SpeedOptions:
    allowed: list[str]
    unavailable: list[str] = field(default_factory=list)  # why the others are not offered


def speed_options(actor: Actor, products: Iterable[Product], policy: RegionPolicy) -> SpeedOptions:
    """Standard always; emergency for the policy's roles; express only for nutrition.

    `products` are those chosen (or, before anything is chosen, those orderable).
    """
    chosen = list(products)
    allowed = [Speed.STANDARD]
    unavailable = []
    if actor.role in policy.emergency_roles:
        allowed.append(Speed.EMERGENCY)
    else:
        unavailable.append("Akutleverans kan inte beställas i din roll.")
    if not policy.express_enabled:
        unavailable.append("Regionen erbjuder inte expressleverans.")
    elif (
        actor.role in policy.express_roles
        and chosen
        and all(p.area.code == ProductArea.NUTRITION for p in chosen)
    ):
        allowed.append(Speed.EXPRESS)
    else:
        unavailable.append(EXPRESS_REASON)
    return SpeedOptions(allowed, unavailable)


def search_pickup_points(q: str) -> QuerySet[PickupPoint]:
    """Active pickup points by postcode prefix (digits) or by town or name (PICK-3)."""
    q = " ".join(q.split())
    points = PickupPoint.objects.filter(active=True)
    digits = re.sub(r"\s", "", q)
    if not q:
        return points.none()
    if digits.isdigit():
        return points.filter(postcode__startswith=digits).order_by("postcode", "name")
    return points.filter(Q(city__icontains=q) | Q(name__icontains=q)).order_by("city", "name")


def pickup_results(q: str, selected_code: str) -> tuple[list[PickupPoint], PickupPoint | None]:
    """The first matches, with the chosen point kept first so a new search never loses it."""
    selected = (
        PickupPoint.objects.filter(code=selected_code, active=True).first()
        if selected_code
        else None
    )
    matches = [p for p in search_pickup_points(q)[:PICKUP_LIMIT] if p != selected]
    return ([selected] if selected else []) + matches, selected
