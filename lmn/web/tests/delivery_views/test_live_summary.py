"""The ordering form's live summary before confirming, refusals on the fields and the
placed withdrawal's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lmn.catalog.models import Product
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal, WithdrawalFee

from .helpers import _data, _html, _place, _preview


@pytest.mark.rule("AKUT-1", "AKUT-8")
def test_preview_shows_emergency_fee_and_promise_and_writes_nothing(
    client_for: ClientFor, world: World, diabetes_rx: Any
) -> None:
    stock_before = Product.objects.get(pk=world.diabetes_product.pk).stock_quantity
    response = _preview(client_for(world.prescriber), world, _data(diabetes_rx, speed="emergency"))
    html = _html(response)
    assert response.status_code == 200
    assert "<html" not in html  # only the summary is swapped in
    assert "Akutleverans: <strong>250\u00a0kr</strong>" in html
    assert '<span id="preview-date">2026-03-11</span>' in html
    assert "Ingen avisering" in html  # AKUT-4: emergency home delivery is not notified
    assert not Withdrawal.objects.exists()
    assert not WithdrawalFee.objects.exists()
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == stock_before


@pytest.mark.rule("EXPR-2", "EXPR-7")
def test_preview_shows_express_fee_before_confirming(
    client_for: ClientFor, world: World, nutrition_rx: Any
) -> None:
    response = _preview(
        client_for(world.dietitian), world, _data(nutrition_rx, quantity=10, speed="express")
    )
    html = _html(response)
    assert "Expressleverans: <strong>400\u00a0kr</strong>" in html
    assert '<span id="preview-date">2026-03-10</span>' in html
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("OUT-6", "OUT-9", "OUT-1")
def test_preview_notices_for_entry_phone_and_left_outside(
    client_for: ClientFor, world: World, diabetes_rx: Any
) -> None:
    data = _data(diabetes_rx, entry_phone="on", leave_outside="on")
    html = _html(_preview(client_for(world.prescriber), world, data))
    assert "mottagaren måste vara hemma och öppna för transportören" in html
    assert "ska skyddas mot väder och vind" in html
    assert "Inga extra kostnader" in html


@pytest.mark.rule("PICK-2", "PICK-4", "PICK-9")
def test_preview_for_pickup_point_tells_14_days_id_and_code(
    client_for: ClientFor, world: World, diabetes_rx: Any, point: Any
) -> None:
    data = _data(
        diabetes_rx, destination="pickup_point", pickup_point_id=point.code, notify_by="sms"
    )
    html = _html(_preview(client_for(world.prescriber), world, data))
    assert "måste hämtas inom 14 dagar" in html
    assert "legitimation" in html
    assert "fyrsiffriga koden" in html
    assert "Sms" in html


@pytest.mark.rule("OUT-3", "OUT-4")
def test_preview_outside_the_region_shows_nutrition_fee_and_no_guarantee(
    client_for: ClientFor, world: World, nutrition_rx: Any
) -> None:
    data = _data(nutrition_rx, quantity=10, street="Sommarvägen 3", postcode="97231", city="Luleå")
    html = _html(_preview(client_for(world.dietitian), world, data))
    assert "Nutrition levererad utanför Västra Götaland: <strong>150\u00a0kr</strong>" in html


@pytest.mark.rule("EXPR-1", "EXPR-6")
def test_preview_refusals_are_listed_in_swedish(
    client_for: ClientFor, world: World, diabetes_rx: Any
) -> None:
    # express posted anyway (not offered): the form refuses the choice itself
    html = _html(_preview(client_for(world.prescriber), world, _data(diabetes_rx, speed="express")))
    assert "Den leveranshastigheten kan inte väljas här." in html
    assert 'href="#id_speed_0"' in html


@pytest.mark.rule("OUT-5", "OUT-7", "AKUT-6")
def test_refusals_land_on_fields_and_nothing_is_created(
    client_for: ClientFor, world: World, diabetes_rx: Any
) -> None:
    data = _data(
        diabetes_rx,
        speed="emergency",
        phone="",
        name_on_door="",
        multi_family="on",
        street="Annangatan 5",
    )
    response = _place(client_for(world.prescriber), world, data)
    html = _html(response)
    assert "Ange portkod: i flerfamiljshus efterfrågas alltid portkod" in html
    assert 'href="#id_door_code"' in html
    assert "ange c/o-namn som står där" in html
    assert 'href="#id_care_of"' in html
    assert "Ange telefonnummer till patienten eller en kontaktperson." in html
    assert 'href="#id_phone"' in html
    assert not Withdrawal.objects.exists()
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == 1000


@pytest.mark.rule("PICK-2")
def test_pickup_point_without_notification_channel_is_refused(
    client_for: ClientFor, world: World, diabetes_rx: Any, point: Any
) -> None:
    data = _data(diabetes_rx, destination="pickup_point", pickup_point_id=point.code)
    html = _html(_place(client_for(world.prescriber), world, data))
    assert "Välj hur patienten eller kontaktpersonen ska aviseras" in html
    assert 'href="#id_notify_by_0"' in html
    assert not Withdrawal.objects.exists()


def test_pickup_point_not_chosen_is_refused_on_the_chooser(
    client_for: ClientFor, world: World, diabetes_rx: Any
) -> None:
    data = _data(diabetes_rx, destination="pickup_point", notify_by="sms")
    html = _html(_place(client_for(world.prescriber), world, data))
    assert "Välj ett av transportörens utlämningsställen." in html
    assert 'href="#id_pickup_point_id"' in html
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("AKUT-8", "PICK-1")
def test_placed_withdrawal_page_shows_fees_promise_pickup_point_and_status(
    client_for: ClientFor, world: World, diabetes_rx: Any, point: Any
) -> None:
    client = client_for(world.prescriber)
    data = _data(
        diabetes_rx,
        destination="pickup_point",
        speed="emergency",
        pickup_point_id=point.code,
        contact_person="Anna Andersson",
    )
    response = _place(client, world, data)
    withdrawal = Withdrawal.objects.get()
    assert response["Location"] == reverse("web:withdrawal", args=[withdrawal.number])
    html = _html(client.get(response["Location"]))
    assert "Akutleverans: <strong>250\u00a0kr</strong>" in html
    assert '<span id="promised-date">2026-03-11</span>' in html
    assert "ICA Nära Linné" in html
    assert "Mottagen" in html
    assert "Utlämningsställe, akut" in html
    assert "Anna Andersson" in html
    assert withdrawal.notify_by == "sms"  # AKUT-5


def test_door_address_other_than_registered_is_kept(
    client_for: ClientFor, world: World, diabetes_rx: Any
) -> None:
    data = _data(
        diabetes_rx, street="Sommarvägen 3", postcode="451 50", city="Uddevalla", leave_outside="on"
    )
    _place(client_for(world.prescriber), world, data)
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.street, withdrawal.postcode, withdrawal.leave_outside) == (
        "Sommarvägen 3",
        "45150",
        True,
    )
    assert withdrawal.multi_family is False
