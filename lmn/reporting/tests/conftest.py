"""The raw withdrawals behind the figures' tests, computed by hand in each test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from lmn.catalog.models import ProductPrice
from lmn.core.actor import Role
from lmn.organisations.models import Payer, UnitPayer
from lmn.testing import factories as f
from lmn.testing.types import World

from .builders import Raw, at, build


@dataclass
class Orders:
    """Unit A (602154) and unit B (604500) with the withdrawals listed in `orders`."""

    world: World
    shared_payer: Any  # pays A's nutrition and B's diabetes (UNIT-2)
    ooa_product: Any
    by_name: dict[str, Any]

    @property
    def head_a(self) -> Any:
        return f.make_head(self.world.unit)

    @property
    def head_b(self) -> Any:
        return f.make_head(self.world.other_unit)


@pytest.fixture
def orders(world: World) -> Orders:
    """Hand-made: see the table in each test for what each figure must come to."""
    a, b = world.unit, world.other_unit
    shared = Payer.objects.create(
        name="Kommunen Delad", invoice_street="Box 9", invoice_postcode="40530", invoice_city="Gbg"
    )
    UnitPayer.objects.filter(unit=a, product_area__code="nutrition").update(payer=shared)
    UnitPayer.objects.filter(unit=b, product_area__code="diabetes").update(payer=shared)
    ooa = f.make_product("incontinence", name="Specialskydd XL", procured=False, stocked=False)
    # every product costs 100.00 (the factory's price); diabetes 120.00 from 1 April (INV-1)
    ProductPrice.objects.create(
        product=world.diabetes_product,
        valid_from=dt.date(2026, 4, 1),
        unit_price=Decimal("120.00"),
        vat_rate=f.vat_rate("25"),
    )
    dia, nut = world.diabetes_product, world.nutrition_product
    p = world.patient
    other_patient = f.make_patient(f.PERSONNUMMER[3], last_name="Annansson")
    specs = {
        "W1": Raw(
            a,
            p,
            at("2026-03-05"),
            [(dia, 10)],
            promised=at("2026-03-07").date(),
            arrived=at("2026-03-06"),
        ),
        "W2": Raw(
            a,
            p,
            at("2026-03-20"),
            [(dia, 5)],
            speed="emergency",
            fees=[("emergency", "150.00")],
            promised=at("2026-03-21").date(),
            arrived=at("2026-03-23"),
        ),
        "W3": Raw(
            a,
            p,
            at("2026-04-02"),
            [(nut, 12)],
            speed="express",
            status="shipped",
            fees=[("express", "250.00")],
            promised=at("2026-04-03").date(),
        ),
        "W4": Raw(
            a,
            p,
            at("2026-04-10"),
            [(dia, 3)],
            destination="pickup_point",
            status="returned",
            fees=[("return", "95.00")],
            promised=at("2026-04-12").date(),
            arrived=at("2026-04-11"),
        ),
        "W5": Raw(
            a,
            p,
            at("2026-04-15"),
            [(ooa, 2)],
            destination="pickup_point",
            status="collected",
            fees=[("out_of_assortment", "200.00")],
        ),
        "W6": Raw(
            a,
            p,
            at("2026-04-20"),
            [(dia, 100)],
            speed="emergency",
            status="cancelled",
            fees=[("emergency", "150.00")],
        ),
        # 23:30 UTC on 28 February is 00:30 on 1 March in Sweden: March's
        "W7": Raw(a, p, at("2026-03-01", "00:30"), [(dia, 1)]),
        "W8": Raw(a, p, at("2026-05-01"), [(dia, 50)]),  # after the period
        "W9": Raw(
            b,
            other_patient,
            at("2026-03-10"),
            [(dia, 7)],
            speed="emergency",
            fees=[("emergency", "150.00")],
        ),
    }
    prescribers = {a.pk: world.doctor, b.pk: world.outsider}
    by_name = {name: build(raw, prescribers[raw.unit.pk]) for name, raw in specs.items()}
    return Orders(world, shared, ooa, by_name)


@pytest.fixture
def payer_contact(orders: Orders) -> Any:
    return f.make_payer_contact(orders.shared_payer)


__all__ = ["Orders", "Role"]
