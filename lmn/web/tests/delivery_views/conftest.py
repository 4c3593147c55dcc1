"""Fixtures of the delivery page tests.

Time is pinned to a known Tuesday morning (Stockholm, no holiday near); prescriptions
are made inside it so that entitlement and promises are predictable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal

from .helpers import TUESDAY_0900, _data, _place


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(TUESDAY_0900, tick=False) as traveller:
        yield traveller


@pytest.fixture
def diabetes_rx(world: Any) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


@pytest.fixture
def nutrition_rx(world: Any) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )


@pytest.fixture
def point(db: None) -> Any:
    return f.make_pickup_point()


@pytest.fixture
def distributor(world: Any) -> Any:
    return f.make_user("distributor", unit=None, role=Role.DISTRIBUTOR)


@pytest.fixture
def to_pickup(client_for: ClientFor, world: World, diabetes_rx: Any, point: Any) -> Withdrawal:
    data = _data(
        diabetes_rx,
        destination="pickup_point",
        pickup_point_id=point.code,
        notify_by="sms",
        contact_person="Anna Andersson",
    )
    _place(client_for(world.prescriber), world, data)
    return Withdrawal.objects.get()


@pytest.fixture
def to_door(client_for: ClientFor, world: World, diabetes_rx: Any) -> Withdrawal:
    _place(client_for(world.prescriber), world, _data(diabetes_rx))
    return Withdrawal.objects.get()
