from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from lmn.catalog.models import ProductPrice
from lmn.testing import factories as f
from lmn.testing.types import World

from .builders import at, payer_of, withdrawal


@pytest.fixture
def november() -> Iterator[None]:
    """Early November 2026: October is over and can be invoiced."""
    with time_machine.travel(at(2026, 11, 5, 9), tick=False):
        yield


@dataclass
class October:
    diabetes_payer: Any
    nutrition_payer: Any
    product_a: Any  # diabetes, 100.00 then 80.00 from 15 Oct, 25 %
    product_c: Any  # diabetes area, 33.33 at 12 %


@pytest.fixture
def october(world: World, november: None) -> October:
    """The hand-computed month of the invoicing tests (see test_run.py)."""
    a = f.make_product("diabetes", name="Testremsor A", price="100.00")
    ProductPrice.objects.create(
        product=a, valid_from=at(2026, 10, 15).date(), unit_price=Decimal("80.00"),
        vat_rate=f.vat_rate("25"),
    )  # fmt: skip
    c = f.make_product("diabetes", name="Glukosgel C", price="1.00")
    ProductPrice.objects.create(
        product=c, valid_from=at(2026, 1, 1).date(), unit_price=Decimal("33.33"),
        vat_rate=f.vat_rate("12"),
    )  # fmt: skip
    diabetes = payer_of(world.unit, "diabetes")
    diabetes.organisation_number = "2120000142"
    diabetes.peppol_scheme, diabetes.peppol_id = "0007", "2120000142"
    diabetes.invoice_reference = "Ref 4711"
    diabetes.save()
    common = {"unit": world.unit, "patient": world.patient, "prescriber": world.doctor}
    withdrawal(**common, placed_at=at(2026, 10, 3), lines=[(a, 3), (c, 7)])
    withdrawal(
        **common, placed_at=at(2026, 10, 20), lines=[(a, 2), (world.nutrition_product, 4)],
        fees=[("emergency", "150.00")],
    )  # fmt: skip
    withdrawal(**common, placed_at=at(2026, 10, 25), lines=[(a, 10)], status="cancelled")
    withdrawal(**common, placed_at=at(2026, 11, 1, 0, 30), lines=[(a, 1)])  # November
    withdrawal(**common, placed_at=at(2026, 9, 30, 23, 30), lines=[(a, 1)])  # September
    return October(diabetes, payer_of(world.unit, "nutrition"), a, c)
