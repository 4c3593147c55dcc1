"""Each destination and speed with its rules, at the moment of ordering.

OUT-1..OUT-9, PICK-1..PICK-3, AKUT-2..AKUT-8, EXPR-1..EXPR-7.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from lmn.catalog.models import Product
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest
from lmn.delivery.models import RegionPolicy
from lmn.organisations.models import UnitPayer
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal, WithdrawalFee
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

WEDNESDAY_MORNING = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def morning() -> Iterator[Any]:
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        yield


@pytest.fixture
def rx(world: World) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=2,
    )


@pytest.fixture
def nutrition_rx(world: World) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
        amount=2,
    )


def order(
    world: World, prescription: Any, *, user: Any = None, quantity: Any = 10, **delivery: Any
) -> Any:
    return place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(prescription.pk, quantity)],
            delivery=DeliveryRequest(**delivery),
        ),
        actor=world.actor(user or world.prescriber),
    )[0]


def refused(world: World, prescription: Any, **kw: Any) -> set[str]:
    with pytest.raises(DomainError) as err:
        order(world, prescription, **kw)
    return {p.code for p in err.value.problems}


def fees(w: Withdrawal) -> dict[str, Decimal]:
    return {fee.kind: fee.amount_sek for fee in WithdrawalFee.objects.filter(withdrawal=w)}


# --- may be left outside / home delivery ---------------------------------------------


@pytest.mark.rule("OUT-1")
@pytest.mark.rule("OUT-9")
def test_left_outside_is_delivered_to_the_given_address_with_a_weather_note(
    world: World, rx: Any
) -> None:
    from lmn.withdrawals.labels import label_context

    w = order(world, rx, leave_outside=True)
    assert w.leave_outside and w.street == "Storgatan 1"
    notes: list[str] = label_context(w)["notes"]  # type: ignore[assignment]
    assert any("skydda mot väder" in note for note in notes)


@pytest.mark.rule("OUT-2")
@pytest.mark.rule("OUT-3")
def test_a_temporary_address_outside_the_region_is_accepted_without_a_promise(
    world: World, rx: Any
) -> None:
    w = order(world, rx, street="Sjövägen 4", postcode="76291", city="Rimbo", leave_outside=True)
    assert (w.city, w.inside_region, w.promised_delivery_date) == ("Rimbo", False, None)
    assert "garanteras inte" in w.promise_note


@pytest.mark.rule("OUT-4")
def test_nutrition_delivered_outside_the_region_costs_extra_for_the_nutrition_payer(
    world: World, nutrition_rx: Any, rx: Any
) -> None:
    dietitian = world.dietitian  # holds nutrition (ACC-3)
    w = order(
        world, nutrition_rx, user=dietitian, street="Sjövägen 4", postcode="76291", city="Rimbo"
    )
    assert fees(w) == {"nutrition_outside_region": Decimal("150.00")}
    fee = WithdrawalFee.objects.get(withdrawal=w)
    assert fee.payer == UnitPayer.objects.get(unit=world.unit, product_area__code="nutrition").payer
    inside = order(world, nutrition_rx, user=dietitian, quantity=1)
    assert fees(inside) == {}
    diabetes_outside = order(world, rx, street="Sjövägen 4", postcode="76291", city="Rimbo")
    assert fees(diabetes_outside) == {}


@pytest.mark.rule("OUT-5")
def test_a_multi_family_building_always_needs_a_door_code(world: World, rx: Any) -> None:
    world.patient.dwelling = "multi_family"
    world.patient.save()
    assert "OUT-5" in refused(world, rx)
    assert order(world, rx, door_code="1234").door_code == "1234"
    other = dict(street="Höghuset 1", postcode="41301", city="Göteborg")
    assert "OUT-5" in refused(world, rx, multi_family=True, **other)
    assert order(world, rx, multi_family=False, quantity=1, **other).door_code == ""


@pytest.mark.rule("OUT-6")
def test_an_entry_phone_means_the_recipient_must_be_home(world: World, rx: Any) -> None:
    from lmn.withdrawals.services import preview_withdrawal

    plan = preview_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(rx.pk, 10)],
            delivery=DeliveryRequest(entry_phone=True),
        ),
        actor=world.actor(world.prescriber),
    )
    assert any("måste vara hemma" in notice for notice in plan.notices)
    assert Withdrawal.objects.count() == 0  # a preview places nothing


@pytest.mark.rule("OUT-7")
def test_without_the_name_on_the_door_a_care_of_is_required(world: World, rx: Any) -> None:
    assert "OUT-7" in refused(world, rx, name_on_door=False)
    w = order(world, rx, name_on_door=False, care_of="Familjen Berg")
    assert w.care_of == "Familjen Berg"


@pytest.mark.rule("OUT-8")
@pytest.mark.parametrize(
    "details,code",
    [
        ({"door_code": "1" * 200}, "too_long"),
        ({"door_code": "12<script>"}, "invalid_door_code"),
        ({"street": "Gata 1", "postcode": "00000", "city": "X"}, "invalid_postcode"),
        ({"street": "Gata 1", "postcode": "4130", "city": "X"}, "invalid_postcode"),
        ({"phone": "0701"}, "invalid_phone"),
        ({"email": "inte-en-adress"}, "invalid_email"),
    ],
)
def test_wrong_delivery_details_are_caught_before_they_cause_a_return(
    world: World, rx: Any, details: Any, code: Any
) -> None:
    assert code in refused(world, rx, **details)
    assert Withdrawal.objects.count() == 0


# --- pickup point ----------------------------------------------------------------------


@pytest.mark.rule("PICK-1")
@pytest.mark.rule("PICK-3")
def test_any_pickup_point_in_sweden_at_no_extra_cost(world: World, rx: Any) -> None:
    f.make_pickup_point("PN-98132", name="Coop Kiruna", postcode="98132", city="Kiruna")
    w = order(world, rx, destination="pickup_point", pickup_point_id="PN-98132", notify_by="letter")
    assert (w.city, w.pickup_point_id) == ("Kiruna", "PN-98132")
    assert fees(w) == {}
    assert "PICK-1" in refused(
        world, rx, destination="pickup_point", pickup_point_id="nope", notify_by="letter"
    )


@pytest.mark.rule("PICK-3")
@pytest.mark.parametrize("area", f.ALL_AREAS)
def test_a_pickup_point_outside_the_region_is_free_for_every_area(world: World, area: Any) -> None:
    """Nutrition too: the out-of-region fee (OUT-4) is for addresses, not pickup points."""
    product = f.make_product(area, name=f"Produkt {area}")
    prescription = f.make_prescription(
        patient=world.patient, product=product, prescriber=world.doctor, unit=world.unit
    )
    f.make_pickup_point("PN-98132", name="Coop Kiruna", postcode="98132", city="Kiruna")
    w = order(
        world,
        prescription,
        user=world.doctor,
        quantity=1,
        destination="pickup_point",
        pickup_point_id="PN-98132",
        notify_by="letter",
    )
    assert (w.city, w.inside_region) == ("Kiruna", False)
    assert fees(w) == {}


@pytest.mark.rule("PICK-2")
def test_a_pickup_point_needs_a_notification_channel_with_its_address(
    world: World, rx: Any
) -> None:
    f.make_pickup_point()
    pp = {"destination": "pickup_point", "pickup_point_id": "PN-41301"}
    assert "PICK-2" in refused(world, rx, **pp)
    assert "PICK-2" in refused(world, rx, notify_by="sms", **pp)
    assert "PICK-2" in refused(world, rx, notify_by="email", **pp)
    w = order(world, rx, notify_by="email", email="anna@example.se", contact_person="Anna", **pp)
    assert (w.notify_by, w.contact_person) == ("email", "Anna")


# --- emergency -----------------------------------------------------------------------


@pytest.mark.rule("AKUT-1")
@pytest.mark.rule("AKUT-8")
def test_emergency_is_promised_next_weekday_and_charged_to_the_payer(world: World, rx: Any) -> None:
    w = order(world, rx, speed="emergency", phone="0701234567")
    assert w.promised_delivery_date == dt.date(2026, 11, 26)
    assert fees(w) == {"emergency": Decimal("250.00")}
    fee = WithdrawalFee.objects.get(withdrawal=w)
    assert fee.payer == UnitPayer.objects.get(unit=world.unit, product_area__code="diabetes").payer


@pytest.mark.rule("AKUT-2")
def test_emergency_only_for_procured_stocked_products(world: World) -> None:
    unstocked = f.make_product("diabetes", stocked=False)
    not_procured = f.make_product("diabetes", procured=False)
    for product in (unstocked, not_procured):
        rx = f.make_prescription(
            patient=world.patient, product=product, prescriber=world.prescriber, unit=world.unit
        )
        assert "AKUT-2" in refused(world, rx, speed="emergency", phone="0701234567")


@pytest.mark.rule("AKUT-3")
def test_emergency_needs_stock_and_reserves_it(world: World, rx: Any) -> None:
    Product.objects.filter(pk=world.diabetes_product.pk).update(
        stock_quantity=15, expected_restock_date=dt.date(2026, 12, 3)
    )
    order(world, rx, speed="emergency", phone="0701234567", quantity=10)
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == 5
    with pytest.raises(DomainError) as err:
        order(world, rx, speed="emergency", phone="0701234567", quantity=10)
    assert err.value.code == "AKUT-3"
    assert "2026-12-03" in err.value.problems[0].message
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == 5


@pytest.mark.rule("AKUT-3")
def test_cancelling_an_emergency_order_puts_the_stock_back(world: World, rx: Any) -> None:
    from lmn.withdrawals.services import transition

    before = Product.objects.get(pk=world.diabetes_product.pk).stock_quantity
    w = order(world, rx, speed="emergency", phone="0701234567", quantity=10)
    transition(w, "cancelled", actor=world.actor(world.prescriber))
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == before


@pytest.mark.rule("AKUT-4")
@pytest.mark.rule("AKUT-5")
def test_emergency_home_is_not_notified_but_to_a_pickup_point_by_sms(world: World, rx: Any) -> None:
    f.make_pickup_point()
    home = order(
        world, rx, speed="emergency", phone="0701234567", notify_by="email", email="a@example.se"
    )
    assert home.notify_by == ""
    pickup = order(
        world,
        rx,
        speed="emergency",
        phone="0701234567",
        destination="pickup_point",
        pickup_point_id="PN-41301",
        notify_by="letter",
        quantity=1,
    )
    assert pickup.notify_by == "sms"


@pytest.mark.rule("AKUT-6")
def test_emergency_needs_a_phone_number(world: World, rx: Any) -> None:
    assert "AKUT-6" in refused(world, rx, speed="emergency")


@pytest.mark.rule("AKUT-7")
def test_an_emergency_order_is_for_one_patient(world: World, rx: Any) -> None:
    """A withdrawal belongs to one patient; a ward orders emergency per patient."""
    f.in_care(world.patient, world.orderer)  # PDL-1: the ward takes part in the care
    w = order(world, rx, user=world.orderer, speed="emergency", phone="0701234567")
    assert w.patient == world.patient
    assert {line.prescription.patient_id for line in w.lines.all()} == {world.patient.pk}


def test_a_region_can_bar_a_role_from_emergency(world: World, rx: Any) -> None:
    RegionPolicy.objects.filter(region="VG").update(emergency_roles=["forskrivare", "lakare"])
    assert "emergency_not_allowed" in refused(
        world, rx, user=world.orderer, speed="emergency", phone="0701234567"
    )


# --- express --------------------------------------------------------------------------


@pytest.mark.rule("EXPR-1")
def test_express_only_for_nutrition(world: World, rx: Any, nutrition_rx: Any) -> None:
    assert "EXPR-1" in refused(world, rx, speed="express", phone="0701234567")
    w = order(world, nutrition_rx, user=world.dietitian, speed="express", phone="0701234567")
    assert w.promised_delivery_date == dt.date(2026, 11, 25)  # EXPR-2: same day


@pytest.mark.rule("EXPR-3")
@pytest.mark.rule("EXPR-4")
def test_express_needs_a_procured_stocked_product_in_stock(world: World, nutrition_rx: Any) -> None:
    Product.objects.filter(pk=world.nutrition_product.pk).update(stock_quantity=0)
    with pytest.raises(DomainError) as err:
        order(world, nutrition_rx, user=world.dietitian, speed="express", phone="0701234567")
    assert err.value.code == "EXPR-4"
    Product.objects.filter(pk=world.nutrition_product.pk).update(stocked=False)
    assert "EXPR-3" in refused(
        world, nutrition_rx, user=world.dietitian, speed="express", phone="0701234567"
    )


@pytest.mark.rule("EXPR-5")
def test_express_needs_a_phone_number(world: World, nutrition_rx: Any) -> None:
    assert "EXPR-5" in refused(world, nutrition_rx, user=world.dietitian, speed="express")


@pytest.mark.rule("EXPR-6")
def test_only_the_prescriber_orders_express(world: World, nutrition_rx: Any) -> None:
    for user in (world.orderer, world.customer_service):
        assert "EXPR-6" in refused(
            world, nutrition_rx, user=user, speed="express", phone="0701234567"
        )


@pytest.mark.rule("EXPR-7")
def test_express_costs_extra(world: World, nutrition_rx: Any) -> None:
    w = order(world, nutrition_rx, user=world.dietitian, speed="express", phone="0701234567")
    assert fees(w) == {"express": Decimal("400.00")}


def test_a_region_without_express_refuses_it(world: World, nutrition_rx: Any) -> None:
    RegionPolicy.objects.filter(region="VG").update(express_enabled=False)
    assert "express_unavailable" in refused(
        world, nutrition_rx, user=world.dietitian, speed="express", phone="0701234567"
    )


def test_every_problem_is_reported_at_once_and_nothing_is_reserved(world: World, rx: Any) -> None:
    before = Product.objects.get(pk=world.diabetes_product.pk).stock_quantity
    # a too-long door code (the input's shape), and express for diabetes without a phone
    # (the rules): one refusal names all three
    codes = refused(world, rx, speed="express", door_code="x" * 200)
    assert {"EXPR-1", "EXPR-5", "too_long"} <= codes
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == before
    assert Withdrawal.objects.count() == 0


@pytest.mark.rule("AKUT-3")
@pytest.mark.rule("EXPR-4")
def test_the_preview_refuses_what_stock_cannot_cover_without_reserving(
    world: World, rx: Any
) -> None:
    """The preview runs placing's stock check, so the order does not fail after it."""
    from lmn.withdrawals.services import preview_withdrawal

    Product.objects.filter(pk=world.diabetes_product.pk).update(stock_quantity=4)
    draft = WithdrawalDraft(
        patient=world.patient,
        lines=[LineDraft(rx.pk, 10)],
        delivery=DeliveryRequest(speed="emergency", phone="0701234567"),
    )
    with pytest.raises(DomainError) as err:
        preview_withdrawal(draft, actor=world.actor(world.prescriber))
    problem = err.value.problems[0]
    assert (problem.code, problem.field) == ("AKUT-3", "lines[0].quantity")
    assert "i lager: 4" in problem.message
    # what stock covers previews fine and reserves nothing
    draft.lines = [LineDraft(rx.pk, 4)]
    preview_withdrawal(draft, actor=world.actor(world.prescriber))
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == 4
    assert not Withdrawal.objects.exists()
