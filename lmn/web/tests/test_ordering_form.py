"""The ordering form follows the user's choices live: speeds, stock and quantities.

Time is pinned to a known Tuesday morning (Stockholm), as in test_delivery_views.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from lmn.catalog.models import Product
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal

STOCKHOLM = dt.timezone(dt.timedelta(hours=1))
TUESDAY_0900 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=STOCKHOLM)
KEY = "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a11"


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(TUESDAY_0900, tick=False):
        yield


def _rx(world: Any, product: Any, prescriber: Any) -> Any:
    return f.make_prescription(
        patient=world.patient, product=product, prescriber=prescriber, unit=world.unit
    )


def _data(quantities: dict[Any, str], **extra: str) -> dict[str, str]:
    data = {f"qty_{rx.pk}": q for rx, q in quantities.items()}
    data.update(
        destination="door",
        speed="standard",
        street="Storgatan 1",
        postcode="413 01",
        city="Göteborg",
        name_on_door="on",
        phone="070-123 45 67",
        idempotency_key=KEY,
    )
    data.update(extra)
    return data


def _live(client: Any, world: Any, data: dict[str, str]) -> str:
    url = reverse("web:withdrawal_preview", args=[world.patient.pk])
    return client.post(url, data, headers={"HX-Request": "true"}).content.decode()


def _speed_section(html: str) -> str:
    """The speed choices swapped in out of band (they end the live response), or ""."""
    start = html.find('<div id="speed-choices" hx-swap-oob="true">')
    return html[start:] if start >= 0 else ""


@pytest.mark.rule("EXPR-1")
def test_express_is_offered_live_once_only_nutrition_is_chosen(
    client_for: ClientFor, world: World
) -> None:
    nutrition = _rx(world, world.nutrition_product, world.dietitian)
    diabetes = _rx(world, world.diabetes_product, world.prescriber)
    client = client_for(world.dietitian)
    form = client.get(reverse("web:new_withdrawal", args=[world.patient.pk])).content.decode()
    assert 'value="express"' not in form  # both areas could be ordered
    assert "ange antal bara för nutrition" in form

    html = _live(client, world, _data({nutrition: "10", diabetes: ""}))
    speeds = _speed_section(html)
    assert 'value="express"' in speeds
    assert "Samma dag om beställningen når distributören före 12:00" in speeds
    assert "Express gäller bara" not in speeds  # the info text no longer says the opposite

    shown = re.search(r'name="speeds_shown" value="([0-9a-f]+)"', speeds)
    assert shown
    # unchanged speeds are not swapped again, so the radio being chosen keeps its focus
    again = _live(client, world, _data({nutrition: "10"}, speeds_shown=shown.group(1)))
    assert 'id="speed-choices"' not in again

    # without JavaScript the summary button reloads the page with the same choices
    url = reverse("web:withdrawal_preview", args=[world.patient.pk])
    page = client.post(url, _data({nutrition: "10"}, action="preview")).content.decode()
    assert 'value="express"' in page and "Express gäller bara" not in page

    # diabetes added again: express goes, and the info text says why
    mixed = _speed_section(_live(client, world, _data({nutrition: "10", diabetes: "5"})))
    assert 'value="express"' not in mixed
    assert "ange antal bara för nutrition" in mixed


@pytest.mark.rule("AKUT-4", "AKUT-5", "OUT-3")
def test_speed_hints_follow_the_destination(client_for: ClientFor, world: World) -> None:
    diabetes = _rx(world, world.diabetes_product, world.prescriber)
    client = client_for(world.prescriber)
    home = _speed_section(_live(client, world, _data({diabetes: "5"})))
    assert "Hemleverans med akut aviseras inte." in home
    pickup = _speed_section(
        _live(client, world, _data({diabetes: "5"}, destination="pickup_point"))
    )
    assert "Aviseras med sms när paketet har kommit." in pickup
    outside = _speed_section(_live(client, world, _data({diabetes: "5"}, postcode="97231")))
    assert "utanför Västra Götaland: leverans inom 5 arbetsdagar garanteras inte" in outside


@pytest.mark.rule("AKUT-3")
def test_the_live_preview_shows_missing_stock_at_the_line(
    client_for: ClientFor, world: World
) -> None:
    diabetes = _rx(world, world.diabetes_product, world.prescriber)
    Product.objects.filter(pk=world.diabetes_product.pk).update(stock_quantity=4)
    html = _live(client_for(world.prescriber), world, _data({diabetes: "10"}, speed="emergency"))
    line = re.search(rf'<div id="line-problem-{diabetes.pk}" hx-swap-oob="true">(.*?)</div>', html)
    assert line and "finns inte i lager i den mängden just nu (i lager: 4)" in line.group(1)
    assert f'href="#id_qty_{diabetes.pk}"' in html  # and in the summary, linked to the field
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == 4


def test_quantity_is_a_text_input_and_letters_are_reported(
    client_for: ClientFor, world: World
) -> None:
    diabetes = _rx(world, world.diabetes_product, world.prescriber)
    client = client_for(world.prescriber)
    url = reverse("web:new_withdrawal", args=[world.patient.pk])
    form = client.get(url).content.decode()
    field = re.search(rf'<input[^>]*name="qty_{diabetes.pk}"[^>]*>', form)
    assert field
    assert 'type="text"' in field.group(0)
    assert 'inputmode="numeric"' in field.group(0)
    assert 'pattern="[0-9]*"' in field.group(0)
    # a problem the live preview finds is read out with the field
    assert f'aria-describedby="line-problem-{diabetes.pk}"' in field.group(0)

    html = client.post(url, _data({diabetes: "5a"})).content.decode()
    assert "Ange antalet som ett heltal." in html
    assert 'value="5a"' in html  # what was typed stays, to be corrected
    assert not Withdrawal.objects.exists()


def test_no_portal_form_has_a_number_input_that_scrolling_changes(
    client_for: ClientFor, world: World
) -> None:
    """Ordering, prescribing and the joint order: whole numbers are typed as text."""
    _rx(world, world.diabetes_product, world.prescriber)
    f.make_resident(world.ward, f.PERSONNUMMER[1])
    pages = [
        (world.prescriber, reverse("web:new_withdrawal", args=[world.patient.pk])),
        (world.prescriber, reverse("web:new_prescription", args=[world.patient.pk])),
        (world.orderer, reverse("web:new_joint_order")),
    ]
    for user, url in pages:
        html = client_for(user).get(url).content.decode()
        assert 'type="number"' not in html, url
    html = client_for(world.prescriber).get(pages[1][1]).content.decode()
    amount = re.search(r'<input[^>]*name="consumption_amount"[^>]*>', html)
    assert amount and 'inputmode="numeric"' in amount.group(0)
