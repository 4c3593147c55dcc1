from __future__ import annotations

from typing import Any

from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for
from lmn.testing import factories as f


def test_products_list_with_flags_price_and_stock(world: Any, prescriber_client: Client) -> None:
    r = prescriber_client.get("/api/v1/products", {"area": "diabetes"})
    assert r.status_code == 200, r.content
    [p] = r.json()
    assert p["article_number"] == world.diabetes_product.article_number
    assert p["name"] == "Testremsor Glukos"
    assert p["area"] == "diabetes"
    assert p["package_size"] == "1 st"
    assert p["ordering_unit"] == "st"
    assert p["price"] == "100.00"
    assert (p["procured"], p["stocked"], p["recommended"]) == (True, True, True)
    assert p["stock_quantity"] == 1000


def test_products_search_by_name(world: Any, prescriber_client: Client) -> None:
    r = prescriber_client.get("/api/v1/products", {"q": "choklad"})
    assert [p["name"] for p in r.json()] == ["Näringsdryck Choklad"]


def test_products_recommended_first(world: Any, prescriber_client: Client) -> None:
    f.make_product("diabetes", name="Aaa ej rek")
    names = [p["name"] for p in prescriber_client.get("/api/v1/products?area=diabetes").json()]
    assert names == ["Testremsor Glukos", "Aaa ej rek"]


def test_products_visible_from_any_unit(world: Any) -> None:
    # the catalogue holds no patient data: every unit sees the same assortment
    r = client_for(world.outsider, world.other_unit).get("/api/v1/products")
    assert r.status_code == 200
    assert len(r.json()) == 2


def test_products_bad_query_is_422(world: Any, prescriber_client: Client) -> None:
    assert_error(prescriber_client.get("/api/v1/products?q=%00"), 422, "invalid_characters")
    assert_error(prescriber_client.get("/api/v1/products?limit=abc"), 422, "invalid_integer")
