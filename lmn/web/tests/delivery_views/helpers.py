"""What the delivery page tests share: ordering data and form posts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

STOCKHOLM = dt.timezone(dt.timedelta(hours=1))  # CET: no daylight saving in early March


TUESDAY_0900 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=STOCKHOLM)


KEY = "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a11"


def _html(response: Any) -> str:
    return response.content.decode()


def _data(rx: Any, quantity: int = 30, **extra: Any) -> dict[str, Any]:
    data = {
        f"qty_{rx.pk}": str(quantity),
        "destination": "door",
        "speed": "standard",
        "street": "Storgatan 1",
        "postcode": "413 01",
        "city": "Göteborg",
        "name_on_door": "on",
        "phone": "070-123 45 67",
        "idempotency_key": KEY,
    }
    data.update(extra)
    return data


def _form(client: Any, world: Any) -> str:
    return _html(client.get(reverse("web:new_withdrawal", args=[world.patient.pk])))


def _preview(client: Any, world: Any, data: dict[str, Any], htmx: bool = True) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("web:withdrawal_preview", args=[world.patient.pk]), data, headers=headers
    )


def _place(client: Any, world: Any, data: dict[str, Any]) -> Any:
    return client.post(reverse("web:new_withdrawal", args=[world.patient.pk]), data)


def _event(client: Any, number: str, event: str, **extra: Any) -> Any:
    return client.post(reverse("web:shipment_event", args=[number]), {"event": event, **extra})
