"""Fixtures for customer-service cases: the asylum unit and an agent."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.testing import factories as f


@pytest.fixture
def asylum_unit(world: Any) -> Any:
    return f.make_asylum_unit()


@pytest.fixture
def agent(world: Any) -> Any:
    """Customer service (kundtjänst), organisation-wide, no unit."""
    return world.actor(world.customer_service)


@pytest.fixture
def ooa_product(world: Any) -> Any:
    """A product outside the procured assortment: not procured, not stocked."""
    return f.make_product(
        "incontinence", name="Specialskydd XL", procured=False, stocked=False, stock_quantity=0
    )
