"""The order summary shows the products' cost and who pays, before ordering (INV-1, UNIT-2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from lmn.api.tests.conftest import client_for, post_json
from lmn.catalog.models import ProductPrice
from lmn.core import clock
from lmn.testing import factories as f
from lmn.testing.types import World


@pytest.fixture(autouse=True)
def _emails_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lmn.api.auth.email_gate_closed", lambda actor, *, today: False)
    monkeypatch.setattr("lmn.web.middleware.email_gate_closed", lambda actor, *, today: False)


def _body(world: World) -> dict[str, Any]:
    lines = []
    for product, quantity in ((world.diabetes_product, 10), (world.nutrition_product, 4)):
        rx = f.make_prescription(
            patient=world.patient, product=product, prescriber=world.doctor, unit=world.unit
        )
        lines.append({"prescription_id": rx.pk, "quantity": quantity})
    return {
        "patient_id": world.patient.pk,
        "lines": lines,
        "delivery": {"destination": "door", "speed": "standard"},
    }


@pytest.mark.rule("INV-1", "UNIT-2")
def test_the_api_preview_shows_each_products_cost_and_each_payers_share(world: World) -> None:
    # today's price list says 90.00 for the test strips (the factory's 100.00 is older)
    ProductPrice.objects.create(
        product=world.diabetes_product, valid_from=clock.today(), unit_price=Decimal("90.00"),
        vat_rate=f.vat_rate("25"),
    )  # fmt: skip
    client = client_for(world.doctor, world.unit)
    r = post_json(client, "/api/v1/withdrawals/preview", _body(world))
    assert r.status_code == 200, r.content
    cost = r.json()["cost"]
    assert [(c["quantity"], c["unit_price"], c["amount"]) for c in cost["lines"]] == [
        (10, "90.00", "900.00"), (4, "100.00", "400.00"),
    ]  # fmt: skip
    # diabetes and nutrition have different payers at 602154 (UNIT-2)
    assert {(p["payer"], p["amount_excluding_vat"], p["amount_including_vat"])
            for p in cost["payers"]} == {
        ("Betalare 602154 diabetes", "900.00", "1125.00"),  # 25 %
        ("Betalare 602154 nutrition", "400.00", "448.00"),  # 12 %
    }  # fmt: skip


@pytest.mark.rule("INV-1", "UNIT-2")
def test_the_portal_summary_shows_the_cost_and_who_pays(world: World, client: Any) -> None:
    body = _body(world)
    client.force_login(world.doctor)
    form = {"speed": "standard", "destination": "door", "street": "Storgatan 1",
            "postcode": "41301", "city": "Göteborg", "name_on_door": "on",
            "phone": "070-123 45 67",
            "idempotency_key": "6f1c2d1e-0b7a-4c3e-9a55-2b3f1d7c9e01"}  # fmt: skip
    for line in body["lines"]:
        form[f"qty_{line['prescription_id']}"] = str(line["quantity"])
    r = client.post(
        f"/patienter/{world.patient.pk}/uttag/sammanfattning/", form, headers={"HX-Request": "true"}
    )
    text = r.content.decode()
    assert r.status_code == 200
    assert "Produkternas kostnad" in text, text[:3000]
    assert "Betalare 602154 nutrition: 400\xa0kr exkl. moms (448\xa0kr inkl. moms)" in text
