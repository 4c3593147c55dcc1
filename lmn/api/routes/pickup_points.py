"""The carrier's pickup points (PICK-1, PICK-3): any active one in Sweden may be chosen."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, StringConstraints

from lmn.api import render
from lmn.api.errors import COMMON_ERRORS
from lmn.api.fields import Text100
from lmn.core.authorization import STAFF, RoutePolicy
from lmn.delivery.queries import pickup_points_matching

router = Router(tags=["pickup-points"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
POLICIES: dict[str, RoutePolicy] = {
    "": RoutePolicy(STAFF),
}

LIMIT = 50
# three to five digits, optionally "413 01"; only the first three are used
Postcode = Annotated[str, StringConstraints(pattern=r"^\s*\d{3}\s?\d{0,2}\s*$")]


class PickupPointQuery(Schema):
    postcode: Postcode | None = Field(
        default=None, description="Postnummer; ställen i samma område (de tre första siffrorna)"
    )
    q: Text100 = Field(default="", description="Del av namnet eller orten")


@router.get("", response={200: list[render.PickupPointOut], **COMMON_ERRORS})
def list_pickup_points(
    request: HttpRequest, filters: Query[PickupPointQuery]
) -> list[render.PickupPointOut]:
    """Active pickup points by postcode area and/or name or city, at most 50."""
    found = pickup_points_matching(filters.postcode or "", filters.q)
    return [render.pickup_point(p) for p in found[:LIMIT]]
