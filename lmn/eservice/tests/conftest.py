"""The e-service's test helpers: a patient with a prescription, and logging in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.testing import factories as f
from lmn.testing.types import World

PROXY_PNR = "197608080813"  # f.PERSONNUMMER[3]: a relative, not a patient


@pytest.fixture
def es_world(world: World) -> World:
    f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    f.make_pickup_point()
    return world


def log_in(identifier: str, client: Client | None = None) -> Client:
    """A client logged in to the e-service (training login) and through the choice page."""
    client = client or Client()
    response = client.post("/e-tjanst/", {"identifier": identifier})
    assert response.status_code == 302, response.content[:500]
    client.get("/e-tjanst/valj/")  # one person to act for: chosen at once
    return client


def choose(client: Client, patient: Any) -> None:
    response = client.post("/e-tjanst/valj/", {"patient": patient.pk})
    assert response.status_code == 302, response.content[:500]
