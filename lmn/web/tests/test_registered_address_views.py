"""An unticked "Flerfamiljshus" means "as registered" only at the registered address.

The portal asks the delivery domain whether the typed address is the registered one
(`delivery.details.is_same_address`), normalised as the domain normalises addresses,
instead of normalising it itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from lmn.delivery.details import is_same_address
from lmn.patients.models import Dwelling
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal

TUESDAY_0900 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
DOOR_CODE = "Ange portkod: i flerfamiljshus efterfrågas alltid portkod"


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(TUESDAY_0900, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rx(world: Any) -> Any:
    world.patient.dwelling = Dwelling.MULTI_FAMILY
    world.patient.save(update_fields=["dwelling"])
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


def _order(client: Any, world: Any, rx: Any, street: str, postcode: str) -> str:
    data = {
        f"qty_{rx.pk}": "30",
        "destination": "door",
        "speed": "standard",
        "street": street,
        "postcode": postcode,
        "city": "Göteborg",
        "name_on_door": "on",
        "phone": "070-123 45 67",
        "idempotency_key": "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a11",
    }
    response = client.post(reverse("web:new_withdrawal", args=[world.patient.pk]), data)
    return response.content.decode()


@pytest.mark.rule("OUT-5")
def test_the_registered_address_typed_loosely_keeps_the_registered_building(
    client_for: ClientFor, world: World, rx: Any
) -> None:
    html = _order(client_for(world.prescriber), world, rx, "storgatan   1", "41 301")
    assert DOOR_CODE in html
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("OUT-5")
def test_another_address_unticked_is_not_a_multi_family_building(
    client_for: ClientFor, world: World, rx: Any
) -> None:
    _order(client_for(world.prescriber), world, rx, "Annangatan 5", "413 01")
    assert Withdrawal.objects.get().multi_family is False


def test_same_address_is_normalised_as_the_domain_normalises_it() -> None:
    assert is_same_address(
        " Storgatan  1 ", "413 01", registered_street="Storgatan 1", registered_postcode="41301"
    )
    assert not is_same_address(
        "Storgatan 2", "41301", registered_street="Storgatan 1", registered_postcode="41301"
    )
