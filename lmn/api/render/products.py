"""The assortment."""

from __future__ import annotations

from collections.abc import Iterable

from ninja import Schema

from lmn.catalog.models import Product


class ProductOut(Schema):
    article_number: str
    name: str
    area: str
    area_name: str
    package_size: str
    ordering_unit: str
    price: str  # SEK as a decimal string
    procured: bool
    stocked: bool
    recommended: bool
    stock_quantity: int
    in_stock: bool


def products(items: Iterable[Product]) -> list[ProductOut]:
    return [
        ProductOut(
            article_number=p.article_number,
            name=p.name,
            area=p.area.code,
            area_name=p.area.name,
            package_size=p.package_size,
            ordering_unit=p.ordering_unit,
            price=f"{p.price_sek:.2f}",
            procured=p.procured,
            stocked=p.stocked,
            recommended=p.recommended,
            stock_quantity=p.stock_quantity,
            in_stock=p.stock_quantity > 0,
        )
        for p in items
    ]
