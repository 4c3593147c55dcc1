"""ACC-3 over the API: a withdrawal line outside the actor's product areas is refused."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal


@pytest.mark.rule("ACC-3")
def test_an_orderer_with_only_diabetes_may_not_order_nutrition(world: Any) -> None:
    orderer = f.make_user(unit=world.unit, role=Role.ORDERER, areas=["diabetes"])
    nutrition_rx = f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )
    body = {
        "patient_id": world.patient.pk,
        "lines": [{"prescription_id": nutrition_rx.pk, "quantity": 10}],
        "delivery": {"destination": "door", "speed": "standard", "name_on_door": True},
    }
    client = client_for(orderer, world.unit)

    for url in ("/api/v1/withdrawals/preview", "/api/v1/withdrawals"):
        errors = assert_error(
            post_json(client, url, body, **{"Idempotency-Key": "k"}), 422, "ACC-3"
        )
        problem = next(e for e in errors["errors"] if e["code"] == "ACC-3")
        assert problem["field"] == "lines[0].prescription_id"
        assert "Nutrition" in problem["message"] and "ACC-3" not in problem["message"]
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("ACC-3")
def test_an_orderer_orders_within_their_areas(world: Any) -> None:
    orderer = f.make_user(unit=world.unit, role=Role.ORDERER, areas=["nutrition"])
    nutrition_rx = f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )
    body = {
        "patient_id": world.patient.pk,
        "lines": [{"prescription_id": nutrition_rx.pk, "quantity": 10}],
        "delivery": {"destination": "door", "speed": "standard", "name_on_door": True},
    }
    r = post_json(
        client_for(orderer, world.unit), "/api/v1/withdrawals", body, **{"Idempotency-Key": "k"}
    )
    assert r.status_code == 201, r.content
