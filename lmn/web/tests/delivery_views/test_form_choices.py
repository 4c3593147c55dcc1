"""The ordering form's delivery choices: express, emergency, destinations and the pickup search."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lmn.delivery.models import RegionPolicy
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal

from .helpers import _data, _form, _html, _preview


@pytest.mark.rule("EXPR-6")
def test_orderer_sees_no_express_and_is_told_why(
    client_for: ClientFor, world: World, nutrition_rx: Any
) -> None:
    html = _form(client_for(world.orderer), world)
    assert 'value="emergency"' in html
    assert 'value="express"' not in html
    assert "Express gäller bara nutritionsprodukter och beställs av förskrivaren." in html


@pytest.mark.rule("EXPR-1", "EXPR-6")
def test_dietitian_with_nutrition_sees_express_with_its_fee(
    client_for: ClientFor, world: World, nutrition_rx: Any
) -> None:
    html = _form(client_for(world.dietitian), world)
    assert 'value="express"' in html
    assert "Samma dag om beställningen når distributören före 12:00" in html
    assert "400\u00a0kr" in html
    assert "Telefonnummer krävs" in html


@pytest.mark.rule("EXPR-1")
def test_prescriber_with_diabetes_products_sees_no_express(
    client_for: ClientFor, world: World, diabetes_rx: Any
) -> None:
    html = _form(client_for(world.prescriber), world)
    assert 'value="express"' not in html
    assert 'value="emergency"' in html
    assert "Express gäller bara nutritionsprodukter" in html


def test_region_without_express_says_so(
    client_for: ClientFor, world: World, nutrition_rx: Any
) -> None:
    RegionPolicy.objects.update_or_create(region="VG", defaults={"express_enabled": False})
    html = _form(client_for(world.dietitian), world)
    assert 'value="express"' not in html
    assert "Regionen erbjuder inte expressleverans." in html


def test_roles_outside_emergency_roles_see_no_emergency(
    client_for: ClientFor, world: World, diabetes_rx: Any
) -> None:
    RegionPolicy.objects.update_or_create(region="VG", defaults={"emergency_roles": ["lakare"]})
    html = _form(client_for(world.prescriber), world)
    assert 'value="emergency"' not in html
    assert "Akutleverans kan inte beställas i din roll." in html


def test_form_offers_destinations_pickup_search_and_notification(
    client_for: ClientFor, world: World, diabetes_rx: Any
) -> None:
    html = _form(client_for(world.prescriber), world)
    for text in (
        "Hemleverans",
        "Utlämningsställe",
        "Får ställas utanför",
        "Flerfamiljshus",
        "Porttelefon finns",
        "Sök utlämningsställe",
        "Sms",
        "E-post",
        "Brev",
        "Kontaktperson (valfritt)",
    ):
        assert text in html, text


@pytest.mark.rule("PICK-1", "PICK-3")
def test_pickup_search_by_postcode_or_town_answers_htmx(
    client_for: ClientFor, world: World, point: Any
) -> None:
    f.make_pickup_point("PN-97231", name="Coop Luleå", postcode="97231", city="Luleå")
    client = client_for(world.prescriber)
    url = reverse("web:pickup_points", args=[world.patient.pk])
    by_postcode = _html(client.get(url, {"pickup_q": "413 0"}, headers={"HX-Request": "true"}))
    assert "ICA Nära Linné" in by_postcode
    assert "Coop Luleå" not in by_postcode
    assert "<html" not in by_postcode
    by_town = _html(client.get(url, {"pickup_q": "Luleå"}))
    assert "Coop Luleå" in by_town
    assert "ICA Nära Linné" not in by_town
    assert "Inga utlämningsställen hittades" in _html(client.get(url, {"pickup_q": "Ystad"}))


def test_pickup_search_works_without_javascript(
    client_for: ClientFor, world: World, diabetes_rx: Any, point: Any
) -> None:
    data = _data(diabetes_rx, destination="pickup_point", pickup_q="Göteborg")
    data["action"] = "search_pickup"
    response = _preview(client_for(world.prescriber), world, data, htmx=False)
    html = _html(response)
    assert response.status_code == 200
    assert "<h1>" in html and "Nytt uttag" in html
    assert 'value="PN-41301"' in html
    assert not Withdrawal.objects.exists()
