"""Types of the shared test fixtures, so test functions can be annotated (mypy --strict).

`World` is what the `world` fixture (lmn/conftest.py) builds; `ClientFor` is the portal's
`client_for` fixture (lmn/web/tests/conftest.py): a Django test client logged in as a user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client

from lmn.core.actor import Actor
from lmn.testing import factories as f

ClientFor = Callable[[Any], Client]


@dataclass
class World:
    unit: Any
    other_unit: Any
    ward: Any
    prescriber: Any
    dietitian: Any
    doctor: Any
    orderer: Any
    customer_service: Any
    outsider: Any
    patient: Any
    diabetes_product: Any
    nutrition_product: Any

    def actor(self, user: Any, unit: Any = None) -> Actor:
        return f.actor_of(user, unit)
