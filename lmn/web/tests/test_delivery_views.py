"""The ordering form's delivery choices, its live summary, and the distributor's pages.

Time is pinned to a known Tuesday morning (Stockholm, no holiday near); prescriptions
are made inside it so that entitlement and promises are predictable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.catalog.models import Product
from lmn.core.actor import Role
from lmn.delivery.models import RegionPolicy
from lmn.notifications.models import Notification
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Collection, Withdrawal, WithdrawalFee
from lmn.withdrawals.states import WithdrawalStatus

STOCKHOLM = dt.timezone(dt.timedelta(hours=1))  # CET: no daylight saving in early March
TUESDAY_0900 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=STOCKHOLM)
KEY = "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a11"


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(TUESDAY_0900, tick=False) as traveller:
        yield traveller


@pytest.fixture
def diabetes_rx(world: Any) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


@pytest.fixture
def nutrition_rx(world: Any) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )


@pytest.fixture
def point(db: None) -> Any:
    return f.make_pickup_point()


@pytest.fixture
def distributor(world: Any) -> Any:
    return f.make_user("distributor", unit=None, role=Role.DISTRIBUTOR)


def _html(response: Any) -> str:
    return response.content.decode()


def _data(rx: Any, quantity: int = 30, **extra: Any) -> dict[str, Any]:
    data = {
        f"qty_{rx.pk}": str(quantity),
        "destination": "door",
        "speed": "standard",
        "street": "Storgatan 1",
        "postcode": "413 01",
        "city": "Göteborg",
        "name_on_door": "on",
        "phone": "070-123 45 67",
        "idempotency_key": KEY,
    }
    data.update(extra)
    return data


def _form(client: Any, world: Any) -> str:
    return _html(client.get(reverse("web:new_withdrawal", args=[world.patient.pk])))


def _preview(client: Any, world: Any, data: dict[str, Any], htmx: bool = True) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("web:withdrawal_preview", args=[world.patient.pk]), data, headers=headers
    )


def _place(client: Any, world: Any, data: dict[str, Any]) -> Any:
    return client.post(reverse("web:new_withdrawal", args=[world.patient.pk]), data)


# --- the choices the form offers ------------------------------------------------------


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


# --- the live summary before confirming -----------------------------------------------


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


# --- the distributor ------------------------------------------------------------------


def _event(client: Any, number: str, event: str, **extra: Any) -> Any:
    return client.post(reverse("web:shipment_event", args=[number]), {"event": event, **extra})


@pytest.fixture
def to_pickup(client_for: ClientFor, world: World, diabetes_rx: Any, point: Any) -> Withdrawal:
    data = _data(
        diabetes_rx,
        destination="pickup_point",
        pickup_point_id=point.code,
        notify_by="sms",
        contact_person="Anna Andersson",
    )
    _place(client_for(world.prescriber), world, data)
    return Withdrawal.objects.get()


@pytest.fixture
def to_door(client_for: ClientFor, world: World, diabetes_rx: Any) -> Withdrawal:
    _place(client_for(world.prescriber), world, _data(diabetes_rx))
    return Withdrawal.objects.get()


@pytest.mark.parametrize("persona", ["prescriber", "orderer", "customer_service"])
def test_distributor_pages_are_forbidden_for_other_roles(
    client_for: ClientFor, world: World, to_door: Withdrawal, persona: Any
) -> None:
    client = client_for(getattr(world, persona))
    number = to_door.number
    for response in (
        client.get(reverse("web:distributor")),
        _event(client, number, "picked"),
        client.get(reverse("web:collection", args=[number])),
        client.get(reverse("web:label", args=[number])),
    ):
        assert response.status_code == 403
        assert "Du saknar behörighet" in _html(response)
    assert Withdrawal.objects.get().status == WithdrawalStatus.PLACED


def test_distributor_is_unit_less_and_lands_on_the_queue(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    client = client_for(distributor)
    assert client.get(reverse("web:home"))["Location"] == reverse("web:distributor")
    html = _html(client.get(reverse("web:distributor")))
    assert "Hela regionen · Distributör" in html
    assert "Arbetskö" in html
    assert f'id="row-{to_door.number}"' in html
    assert "Tolvan" not in html  # the queue shows no patient names


def test_distributor_gets_404_for_unknown_withdrawals_and_no_protected_names(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    client = client_for(distributor)
    assert _event(client, "U99999999", "picked").status_code == 404
    world.patient.protected = True
    world.patient.protected_unit = world.unit
    world.patient.save()
    queue = _html(client.get(reverse("web:distributor")))
    assert f'id="row-{to_door.number}"' in queue  # still shipped (SKYDD-5) ...
    assert world.patient.last_name not in queue  # ... without the patient (SKYDD-6)


@pytest.mark.rule("PICK-2", "PICK-5", "PICK-9")
def test_distributor_flow_to_collection_refuses_wrong_code(
    client_for: ClientFor, world: World, distributor: Any, to_pickup: Withdrawal
) -> None:
    client = client_for(distributor)
    number = to_pickup.number
    for event in ("picked", "shipped", "arrived"):
        response = _event(client, number, event)
        assert response.status_code == 302, _html(response)
    arrived = Withdrawal.objects.get()
    assert arrived.status == WithdrawalStatus.ARRIVED
    assert len(arrived.pickup_code) == 4
    assert Notification.objects.filter(channel="sms").exists()
    queue = _html(client.get(reverse("web:distributor")))
    assert reverse("web:collection", args=[number]) in queue
    assert "Hämtas senast 2026-03-24" in queue

    url = reverse("web:collection", args=[number])
    page = _html(client.get(url))
    assert "Tolvan Tolvansson" in page  # the name on the parcel, checked against the ID
    wrong = "0000" if arrived.pickup_code != "0000" else "1111"
    refused = _html(
        client.post(
            url,
            {
                "code": wrong,
                "collector": "recipient",
                "recipient_id_shown": "on",
                "id_document": "Körkort",
            },
        )
    )
    assert "Koden stämmer inte med aviseringens kod." in refused
    assert 'href="#id_code"' in refused
    assert Withdrawal.objects.get().status == WithdrawalStatus.ARRIVED
    response = client.post(
        url,
        {
            "code": arrived.pickup_code,
            "collector": "recipient",
            "recipient_id_shown": "on",
            "id_document": "Körkort",
        },
    )
    assert response["Location"] == reverse("web:distributor")
    assert Withdrawal.objects.get().status == WithdrawalStatus.COLLECTED
    assert Collection.objects.get().id_document == "Körkort"


@pytest.mark.rule("PICK-5", "PICK-6", "PICK-7")
def test_collection_identification_refusals_in_swedish(
    client_for: ClientFor, world: World, distributor: Any, to_pickup: Withdrawal
) -> None:
    client = client_for(distributor)
    for event in ("picked", "shipped", "arrived"):
        _event(client, to_pickup.number, event)
    code = Withdrawal.objects.get().pickup_code
    url = reverse("web:collection", args=[to_pickup.number])
    no_id = _html(client.post(url, {"code": code, "collector": "recipient"}))
    assert "Mottagaren måste visa legitimation." in no_id
    assert "Ange vilken legitimation som visades." in no_id
    other = _html(
        client.post(
            url,
            {"code": code, "collector": "other", "collector_id_shown": "on", "id_document": "Pass"},
        )
    )
    assert "Både mottagarens och den hämtandes legitimation måste visas." in other
    assert "Ange den hämtandes namn." in other
    contact = _html(
        client.post(
            url,
            {
                "code": code,
                "collector": "contact_person",
                "collector_name": "Bertil Berg",
                "collector_id_shown": "on",
                "id_document": "Pass",
            },
        )
    )
    assert "Namnet stämmer inte med kontaktpersonen" in contact
    assert Withdrawal.objects.get().status == WithdrawalStatus.ARRIVED
    ok = client.post(
        url,
        {
            "code": code,
            "collector": "contact_person",
            "collector_name": "anna andersson",
            "collector_id_shown": "on",
            "id_document": "Pass",
        },
    )
    assert ok.status_code == 302
    assert Collection.objects.get().collector == Collection.Collector.CONTACT_PERSON


@pytest.mark.rule("OUT-8")
def test_returned_with_reason_adds_a_return_fee(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    client = client_for(distributor)
    _event(client, to_door.number, "picked")
    _event(client, to_door.number, "shipped")
    missing = _event(client, to_door.number, "returned", reason="")
    assert "Ange en giltig returorsak." in _html(missing)
    response = _event(client, to_door.number, "returned", reason="wrong_door_code")
    assert response.status_code == 302
    fee = WithdrawalFee.objects.get(kind="return")
    assert fee.label == "Retur: fel portkod"
    assert Withdrawal.objects.get().status == WithdrawalStatus.RETURNED
    html = _html(client_for(world.prescriber).get(reverse("web:withdrawal", args=[to_door.number])))
    assert "Retur: fel portkod: <strong>200\u00a0kr</strong>" in html
    assert "Returnerad" in html


def test_door_delivery_is_delivered_not_arrived(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    client = client_for(distributor)
    _event(client, to_door.number, "picked")
    queue = _html(client.get(reverse("web:distributor")))
    assert "Skickad<span" in queue
    _event(client, to_door.number, "shipped")
    refused = _html(_event(client, to_door.number, "arrived"))
    assert f"{to_door.number}: Försändelsen ska inte till ett utlämningsställe." in refused
    assert _event(client, to_door.number, "delivered").status_code == 302
    assert Withdrawal.objects.get().status == WithdrawalStatus.DELIVERED


def test_out_of_order_event_is_refused_with_a_message(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    html = _html(_event(client_for(distributor), to_door.number, "delivered"))
    assert "nhsuk-error-summary" in html
    assert Withdrawal.objects.get().status == WithdrawalStatus.PLACED


@pytest.mark.rule("OUT-9")
def test_label_view_returns_an_audited_pdf(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    response = client_for(distributor).get(reverse("web:label", args=[to_door.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="withdrawals.label.printed").exists()
