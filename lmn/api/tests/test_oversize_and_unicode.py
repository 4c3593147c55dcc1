"""Bodies over the limits answer 413, and text is measured in the form it is stored in."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.test import Client

from lmn.organisations.models import UnitApplication
from lmn.testing import factories as f

from .conftest import client_for, post_json
from .test_applications_and_wards import unit_body

# NFC turns each of these into two characters (U+0915 U+093C): 60 become 120
LENGTHENS = "\u0958" * 60


def test_a_20_mb_body_is_413_in_the_error_shape(world: Any) -> None:
    api = client_for(world.prescriber, world.unit)
    big = "x" * (20 * 1024 * 1024)
    response = api.post("/api/v1/withdrawals", big, content_type="application/json")
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["code"] == "request_too_large"
    assert "för stor" in error["message"]


def test_a_preview_of_100000_lines_is_413(world: Any) -> None:
    api = client_for(world.prescriber, world.unit)
    lines = [{"prescription_id": 1, "quantity": 1}] * 100_000
    body = {"patient_id": world.patient.pk, "lines": lines, "delivery": {"destination": "door"}}
    response = post_json(api, "/api/v1/withdrawals/preview", body)
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"


def test_an_oversized_token_request_is_413_too(db: None) -> None:
    response = Client().post(
        "/api/v1/auth/token", "x" * (3 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"


def test_a_text_that_normalising_lengthens_past_its_column_is_refused_at_its_field(
    world: Any,
) -> None:
    assert len(unicodedata.normalize("NFC", LENGTHENS)) == 120
    head = f.make_head(world.unit, "chef")
    response = post_json(
        client_for(head, world.unit), "/api/v1/unit-applications", unit_body(city=LENGTHENS)
    )
    assert response.status_code == 422
    assert {"code": "too_long", "field": "city", "message": "Texten är för lång."} in (
        response.json()["errors"]
    )
    assert not UnitApplication.objects.exists()


def test_a_text_within_its_column_after_normalising_is_stored_normalised(world: Any) -> None:
    head = f.make_head(world.unit, "chef")
    city = "\u0958" * 50  # 100 characters once normalised: fits exactly
    response = post_json(
        client_for(head, world.unit), "/api/v1/unit-applications", unit_body(city=city)
    )
    assert response.status_code == 201, response.content
    assert UnitApplication.objects.get().city == unicodedata.normalize("NFC", city)
