"""Small builders shared by the resources."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lmn.catalog.models import Product

from ..codes import ARTICLE_NUMBER


def ref(resource_type: str, ident: object, display: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"reference": f"{resource_type}/{ident}"}
    if display:
        out["display"] = display
    return out


def product_concept(product: Product) -> dict[str, Any]:
    return {
        "coding": [
            {"system": ARTICLE_NUMBER, "code": product.article_number, "display": product.name}
        ],
        "text": product.name,
    }


def instant(value: dt.datetime) -> str:
    return value.isoformat()


def human_name(first: str, last: str) -> dict[str, Any]:
    name: dict[str, Any] = {"use": "official", "text": f"{first} {last}".strip()}
    if last:
        name["family"] = last
    if first:
        name["given"] = first.split()
    return name
