from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from lmn.catalog.models import ProductPrice
from lmn.catalog.queries import PriceBook, price_on
from lmn.testing import factories as f
from lmn.testing.types import World

D = dt.date


@pytest.mark.rule("INV-1")
def test_the_price_valid_on_the_day_is_the_latest_from_that_day_or_before(world: World) -> None:
    product = world.diabetes_product
    ProductPrice.objects.create(
        product=product,
        valid_from=D(2026, 3, 1),
        unit_price=Decimal("80.00"),
        vat_rate=f.vat_rate("25"),
    )
    ProductPrice.objects.create(
        product=product,
        valid_from=D(2026, 6, 1),
        unit_price=Decimal("90.00"),
        vat_rate=f.vat_rate("12"),
    )
    book = PriceBook.load()
    for day, expected, vat in [
        (D(1999, 12, 31), None, None),
        (D(2026, 2, 28), Decimal("100.00"), Decimal("25")),  # the factory's price from 2000
        (D(2026, 3, 1), Decimal("80.00"), Decimal("25")),
        (D(2026, 5, 31), Decimal("80.00"), Decimal("25")),
        (D(2026, 6, 1), Decimal("90.00"), Decimal("12")),
    ]:
        for found in (price_on(product, day), book.on(product.pk, day)):
            assert (found and found.unit_price) == expected
            assert (found and found.vat_rate.percent) == vat


def test_a_price_cannot_be_negative_nor_given_twice_for_a_day(world: World) -> None:
    product = world.diabetes_product
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductPrice.objects.create(
            product=product,
            valid_from=D(2026, 1, 1),
            unit_price=Decimal("-1"),
            vat_rate=f.vat_rate("25"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductPrice.objects.create(
            product=product,
            valid_from=D(2000, 1, 1),
            unit_price=Decimal("1"),
            vat_rate=f.vat_rate("25"),
        )
