"""Fixtures of the distributor API tests.

Time is pinned to a known Monday so that the 14-day pickup deadline is known.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from lmn.api.tests.conftest import client_for
from lmn.core.actor import Role
from lmn.testing import factories as f

from .helpers import MONDAY


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def depot(world: Any) -> Client:
    user = f.make_user("depa", role=Role.DISTRIBUTOR, unit=None)
    return client_for(user, None)
