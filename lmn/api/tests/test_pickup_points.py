"""Choosing a pickup point (PICK-1, PICK-3): any active one in Sweden, found by area or name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.api.tests.conftest import assert_error
from lmn.testing import factories as f

URL = "/api/v1/pickup-points"


@pytest.fixture
def points(world: Any) -> None:
    f.make_pickup_point("PN-41304", name="ICA Nära Linné", postcode="41304", city="Göteborg")
    f.make_pickup_point("PN-41110", name="Pressbyrån Centralen", postcode="41110", city="Göteborg")
    f.make_pickup_point("PN-11120", name="Coop Klara", postcode="11120", city="Stockholm")
    f.make_pickup_point(
        "PN-41399", name="Stängda Butiken", postcode="41399", city="Göteborg", active=False
    )


def _codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["code"] for p in response.json()]


@pytest.mark.rule("PICK-3")
def test_pickup_points_anywhere_in_sweden_by_postcode_area(
    points: None, prescriber_client: Client
) -> None:
    assert _codes(prescriber_client.get(URL, {"postcode": "413 01"})) == ["PN-41304"]
    assert _codes(prescriber_client.get(URL, {"postcode": "11151"})) == ["PN-11120"]
    assert _codes(prescriber_client.get(URL, {"postcode": "999"})) == []


def test_pickup_points_by_name_or_city_active_only(points: None, prescriber_client: Client) -> None:
    assert _codes(prescriber_client.get(URL, {"q": "göteborg"})) == ["PN-41304", "PN-41110"]
    assert _codes(prescriber_client.get(URL, {"q": "klara"})) == ["PN-11120"]
    assert _codes(prescriber_client.get(URL, {"q": "Stängda"})) == []
    assert _codes(prescriber_client.get(URL, {"q": "ica", "postcode": "111"})) == []
    everything = prescriber_client.get(URL)
    assert len(_codes(everything)) == 3
    assert set(everything.json()[0]) == {"code", "name", "street", "postcode", "city"}


def test_pickup_points_are_limited_to_50(world: Any, prescriber_client: Client) -> None:
    for n in range(55):
        f.make_pickup_point(f"PN-{n:05d}", name=f"Ombud {n}")
    assert len(_codes(prescriber_client.get(URL))) == 50


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"postcode": "abc"}, "invalid_format"),
        ({"postcode": "12"}, "invalid_format"),
        ({"postcode": "123456"}, "invalid_format"),
        ({"q": "x" * 101}, "too_long"),
        ({"q": "a\x00b"}, "invalid_characters"),
    ],
)
def test_bad_pickup_point_queries_are_422(
    world: Any, prescriber_client: Client, params: dict[str, str], code: str
) -> None:
    assert_error(prescriber_client.get(URL, params), 422, code)


def test_pickup_points_need_a_token(db: Any) -> None:
    assert_error(Client().get(URL), 401, "not_authenticated")
