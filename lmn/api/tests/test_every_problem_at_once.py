"""Over the API too, a request with four bad fields gets four errors in one 422."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.api.tests.conftest import assert_error, post_json
from lmn.prescriptions.models import Prescription
from lmn.withdrawals.models import Withdrawal

pytestmark = pytest.mark.django_db


def _errors(body: dict[str, Any]) -> set[tuple[str, str | None]]:
    return {(e["code"], e["field"]) for e in body["errors"]}


@pytest.mark.rule("GEN-3")
@pytest.mark.rule("OUT-5")
def test_a_withdrawal_with_four_bad_fields_gets_four_errors(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    body = {
        "patient_id": world.patient.pk,
        "lines": [{"prescription_id": prescription.pk, "quantity": 1000}],
        "delivery": {
            "destination": "door",
            "speed": "standard",
            "address": {"street": "Annangatan 5", "postcode": "123", "city": "Göteborg"},
            "phone": "12",
            "multi_family": True,
        },
    }
    for url, headers in (
        ("/api/v1/withdrawals/preview", {}),
        ("/api/v1/withdrawals", {"Idempotency-Key": "fyra-fel"}),
    ):
        answer = assert_error(post_json(prescriber_client, url, body, **headers), 422, "GEN-3")
        assert _errors(answer) == {
            ("GEN-3", "lines[0].quantity"),
            ("invalid_postcode", "delivery.postcode"),
            ("invalid_phone", "delivery.phone"),
            ("OUT-5", "delivery.door_code"),
        }, url
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("ACC-3")
def test_a_prescription_with_four_bad_fields_gets_four_errors(
    world: Any, prescriber_client: Client
) -> None:
    body = {
        "patient_id": world.patient.pk,
        "article_number": world.nutrition_product.article_number,  # not the prescriber's area
        "consumption": {"amount": 2, "per": "day"},
        "valid_from": "2000-01-01",
        "valid_until": "2099-01-01",
        "max_supply_days": 400,
    }
    answer = assert_error(post_json(prescriber_client, "/api/v1/prescriptions", body), 422, "ACC-3")
    assert _errors(answer) == {
        ("ACC-3", "article_number"),
        ("date_in_past", "valid_from"),
        ("invalid_validity", "valid_until"),
        ("invalid_max_supply", "max_supply_days"),
    }
    assert not Prescription.objects.exists()


@pytest.mark.rule("PICK-1")
def test_an_unknown_pickup_point_does_not_hide_the_other_problems(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    body = {
        "patient_id": world.patient.pk,
        "lines": [{"prescription_id": prescription.pk, "quantity": 1000}],
        "delivery": {
            "destination": "pickup_point",
            "pickup_point_id": "PN-00000",
            "notify_by": "sms",
            "phone": "12",
        },
    }
    answer = assert_error(
        post_json(prescriber_client, "/api/v1/withdrawals/preview", body), 422, "PICK-1"
    )
    assert _errors(answer) == {
        ("GEN-3", "lines[0].quantity"),
        ("PICK-1", "delivery.pickup_point_id"),
        ("invalid_phone", "delivery.phone"),
    }
