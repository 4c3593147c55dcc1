"""The catalogue: active products, recommended (REK) first (GEN-6)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lmn.api import render
from lmn.api.errors import COMMON_ERRORS
from lmn.api.fields import Text40, Text200
from lmn.catalog.queries import search_products
from lmn.core.authorization import STAFF, RoutePolicy

router = Router(tags=["products"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
POLICIES: dict[str, RoutePolicy] = {
    "": RoutePolicy(STAFF),
}


class ProductQuery(Schema):
    area: Text40 | None = Field(default=None, description="Produktområde, t.ex. diabetes")
    q: Text200 = Field(default="", description="Del av namnet eller början av artikelnumret")
    limit: int = Field(default=200, ge=1, le=1000)


@router.get("", response={200: list[render.ProductOut], **COMMON_ERRORS})
def list_products(request: HttpRequest, filters: Query[ProductQuery]) -> list[render.ProductOut]:
    found = search_products(filters.q, area_code=filters.area or None)
    return render.products(found[: filters.limit])
