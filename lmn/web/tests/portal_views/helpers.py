"""What the portal view tests share."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from lmn.testing import factories as f
from lmn.testing.types import World


def _html(response: Any) -> str:
    return response.content.decode()


def _prescribe_url(world: World) -> str:
    return reverse("web:new_prescription", args=[world.patient.pk])


def _prescription(world: World, amount: int = 1) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=amount,
    )


def _order(client: Client, world: World, prescription: Any, **extra: Any) -> Any:
    data = {
        f"qty_{prescription.pk}": "30",
        "street": "Storgatan 1",
        "postcode": "413 01",
        "city": "Göteborg",
        "name_on_door": "on",
        "phone": "070-123 45 67",
        "idempotency_key": "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a11",
    }
    data.update(extra)
    return client.post(reverse("web:new_withdrawal", args=[world.patient.pk]), data)
