"""Fixtures of the case-page tests."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.testing import factories as f

from .helpers import verified


@pytest.fixture
def asylum_unit(world: Any) -> Any:
    return f.make_asylum_unit()


@pytest.fixture
def logged_in(client_for: Any, world: Any) -> Any:
    def login(user: Any) -> Any:
        verified(user)
        return client_for(user)

    return login


@pytest.fixture
def agent_actor(world: Any) -> Any:
    return world.actor(world.customer_service)
