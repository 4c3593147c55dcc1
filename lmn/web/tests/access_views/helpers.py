"""What the access, ward and contact page tests share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.testing.types import World

FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


NEW_HSA = "SE2321000131-E000000777"


def _html(response: Any) -> str:
    return response.content.decode()


def _grant(**overrides: Any) -> Any:
    data = {
        "subject_hsa_id": NEW_HSA,
        "first_name": "Nina",
        "last_name": "Ny",
        "email": "nina@example.se",
        "role": Role.ORDERER,
        "areas": ["diabetes", "incontinence"],
        "joint_ordering": "on",
        "units": ["602154"],
    }
    data.update(overrides)
    return data


def _unit_form(**overrides: Any) -> Any:
    data = {
        "change": "new",
        "name": "Solgården avd 3",
        "kind": "special_housing",
        "street": "Solgårdsgatan 7",
        "postcode": "417 42",
        "city": "Göteborg",
        "delivery_place": "Godsmottagningen",
    }
    for code in f.ALL_AREAS:
        data.update(
            {
                f"{code}-name": "Göteborgs Stad",
                f"{code}-invoice_street": "Box 1",
                f"{code}-invoice_postcode": "405 30",
                f"{code}-invoice_city": "Göteborg",
            }
        )
    data.update(overrides)
    return data


def _rx(world: World, patient: Any, product: Any = None) -> Any:
    return f.make_prescription(
        patient=patient,
        product=product or world.diabetes_product,
        prescriber=world.dietitian if product else world.prescriber,
        unit=world.unit,
        amount=2,
    )
