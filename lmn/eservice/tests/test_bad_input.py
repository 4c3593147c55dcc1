"""Bad input in the e-service: answered on the form or as missing, never a 500, nothing
half-written."""

from __future__ import annotations

import pytest

from lmn.representation.models import PowerOfAttorney
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal

from .conftest import log_in

pytestmark = pytest.mark.django_db


@pytest.mark.rule("EPAT-1")
@pytest.mark.parametrize(
    "changes",
    [
        {"qty": "abc"},
        {"qty": "-1"},
        {"qty": "999999999"},
        {"pickup_point": "nope"},
        {"notify_by": "pigeon"},
        {"destination": "unit"},
        {"phone": "x" * 40},
        {"key": ""},
    ],
)
def test_bad_order_input_is_shown_on_the_form(es_world: World, changes: dict[str, str]) -> None:
    client = log_in(es_world.patient.identifier)
    rx = es_world.patient.prescriptions.get()
    data = {
        "key": "k" * 20,
        f"qty_{rx.pk}": changes.pop("qty", "10"),
        "destination": "pickup_point",
        "pickup_point": "PN-41301",
        "notify_by": "sms",
        "phone": "0701234567",
        "step": "confirm",
        **changes,
    }
    response = client.post("/e-tjanst/bestall/", data)
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert Withdrawal.objects.count() == 0


@pytest.mark.rule("EPAT-2")
def test_bad_power_input_and_unknown_ids(es_world: World) -> None:
    client = log_in(es_world.patient.identifier)
    for data in (
        {
            "holder_identifier": "123",
            "holder_name": "X",
            "scope": "order",
            "valid_until": "2030-01-01",
        },
        {
            "holder_identifier": "197608080813",
            "holder_name": "X",
            "scope": "order",
            "valid_until": "2999-01-01",
        },
        {
            "holder_identifier": es_world.patient.identifier,
            "holder_name": "Jag",
            "scope": "view",
            "valid_until": "2030-01-01",
        },
        {"holder_identifier": "197608080813", "holder_name": "X", "scope": "all"},
    ):
        response = client.post("/e-tjanst/fullmakter/", data)
        assert response.status_code == 200
        assert "nhsuk-error-summary" in response.content.decode()
    assert PowerOfAttorney.objects.count() == 0
    assert client.post("/e-tjanst/fullmakter/999999/aterkalla/").status_code == 404
    assert client.post("/e-tjanst/valj/", {"patient": "abc"}).status_code in (200, 302)
    assert client.get("/e-tjanst/bestallningar/not-a-number/").status_code == 404
