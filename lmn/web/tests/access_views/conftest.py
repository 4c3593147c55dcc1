"""Fixtures of the access, ward and contact page tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.testing import factories as f
from lmn.testing.types import World

from .helpers import FRIDAY


@pytest.fixture
def head(world: World) -> Any:
    return f.make_head(world.unit, "chef")


@pytest.fixture
def admin_user(world: World) -> Any:
    return f.make_admin("admin")


@pytest.fixture
def ward(world: World) -> Any:
    world.ward.delivery_place = "Godsmottagningen, entréplan"
    world.ward.save()
    return world.ward


@pytest.fixture
def residents(world: World, ward: Any) -> Any:
    return [f.make_resident(ward, pnr) for pnr in f.PERSONNUMMER[1:4]]


@pytest.fixture(autouse=False)
def friday() -> Iterator[Any]:
    with time_machine.travel(FRIDAY, tick=False):
        yield
