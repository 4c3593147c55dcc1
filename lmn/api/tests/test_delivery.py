"""Delivery over the API: promises, fees and notices when placing and before (preview).

Time is pinned to a known Tuesday morning (Stockholm, no holiday near), and everything,
prescriptions and tokens included, is made inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.audit.models import AuditEvent
from lmn.catalog.models import Product
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal, WithdrawalFee

URL = "/api/v1/withdrawals"
PREVIEW = "/api/v1/withdrawals/preview"
STOCKHOLM = dt.timezone(dt.timedelta(hours=1))  # CET: no daylight saving in early March
TUESDAY_0900 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(TUESDAY_0900, tick=False) as traveller:
        yield traveller


@pytest.fixture
def nutrition_rx(world: Any) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )


def _body(patient: Any, rx: Any, quantity: int = 10, **delivery: Any) -> dict[str, Any]:
    return {
        "patient_id": patient.pk,
        "lines": [{"prescription_id": rx.pk, "quantity": quantity}],
        "delivery": {"destination": "door", "speed": "standard", **delivery},
    }


def _place(client: Client, body: Any, key: str = "k-1") -> Any:
    return post_json(client, URL, body, **{"Idempotency-Key": key})


def _preview(client: Client, body: Any) -> Any:
    return post_json(client, PREVIEW, body)


GOTHENBURG = {"street": "Sommarvägen 3", "postcode": "41301", "city": "Göteborg"}
STOCKHOLM_ADDRESS = {"street": "Drottninggatan 1", "postcode": "11151", "city": "Stockholm"}


@pytest.mark.rule("GEN-7")
def test_standard_delivery_promises_five_working_days(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    r = _place(prescriber_client, _body(world.patient, prescription))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["promised_delivery_date"] == "2026-03-17"
    assert body["promise_note"] == "Leverans inom 5 arbetsdagar."
    assert body["inside_region"] is True
    assert body["fees"] == []
    assert body["notices"] == []


@pytest.mark.rule("AKUT-1")
@pytest.mark.rule("AKUT-8")
def test_emergency_before_the_cut_off_is_next_weekday_with_a_fee(
    world: Any, prescriber_client: Client, prescription: Any, tuesday: Any
) -> None:
    tuesday.move_to(dt.datetime(2026, 3, 10, 13, 59, tzinfo=STOCKHOLM))
    r = _place(
        prescriber_client,
        _body(world.patient, prescription, speed="emergency", phone="070-123 45 67"),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["promised_delivery_date"] == "2026-03-11"
    assert body["fees"] == [{"kind": "emergency", "label": "Akutleverans", "amount": "250.00"}]
    assert "14:00" in body["promise_note"]
    assert body["notify_by"] == ""  # AKUT-4: emergency to the home is not notified
    fee = WithdrawalFee.objects.get()
    assert (fee.kind, str(fee.amount_sek)) == ("emergency", "250.00")
    # the same order read back shows the fee with its label
    read = prescriber_client.get(f"{URL}/{body['number']}").json()
    assert read["fees"] == body["fees"]


@pytest.mark.rule("AKUT-1")
def test_emergency_at_the_cut_off_is_a_day_later(
    world: Any, prescriber_client: Client, prescription: Any, tuesday: Any
) -> None:
    tuesday.move_to(dt.datetime(2026, 3, 10, 14, 0, tzinfo=STOCKHOLM))
    r = _preview(
        prescriber_client,
        _body(world.patient, prescription, speed="emergency", phone="0701234567"),
    )
    assert r.status_code == 200, r.content
    assert r.json()["promised_delivery_date"] == "2026-03-12"


@pytest.mark.rule("EXPR-2")
@pytest.mark.rule("EXPR-7")
def test_express_by_the_prescriber_is_same_day_with_a_fee(world: Any, nutrition_rx: Any) -> None:
    dietitian = client_for(world.dietitian, world.unit)
    r = _place(dietitian, _body(world.patient, nutrition_rx, speed="express", phone="0701234567"))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["promised_delivery_date"] == "2026-03-10"
    assert body["fees"] == [{"kind": "express", "label": "Expressleverans", "amount": "400.00"}]


@pytest.mark.rule("EXPR-6")
def test_an_orderer_may_not_order_express(world: Any, nutrition_rx: Any) -> None:
    orderer = client_for(world.orderer, world.ward)
    body = _body(world.patient, nutrition_rx, speed="express", phone="0701234567")
    assert_error(_preview(orderer, body), 422, "EXPR-6")
    assert_error(_place(orderer, body), 422, "EXPR-6")
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("EXPR-4")
def test_the_preview_reports_missing_stock_at_the_line(world: Any, nutrition_rx: Any) -> None:
    Product.objects.filter(pk=world.nutrition_product.pk).update(stock_quantity=3)
    dietitian = client_for(world.dietitian, world.unit)
    body = _body(world.patient, nutrition_rx, speed="express", phone="0701234567")
    errors = assert_error(_preview(dietitian, body), 422, "EXPR-4")["errors"]
    assert [e["field"] for e in errors if e["code"] == "EXPR-4"] == ["lines[0].quantity"]
    assert Product.objects.get(pk=world.nutrition_product.pk).stock_quantity == 3


@pytest.mark.rule("EXPR-1")
@pytest.mark.rule("EXPR-5")
def test_preview_answers_every_broken_rule_at_once(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    r = _preview(prescriber_client, _body(world.patient, prescription, speed="express"))
    body = assert_error(r, 422, "EXPR-1")
    codes = {e["code"] for e in body["errors"]}
    assert {"EXPR-1", "EXPR-5"} <= codes
    assert {e["field"] for e in body["errors"]} >= {"delivery.speed", "delivery.phone"}


@pytest.mark.rule("OUT-1")
@pytest.mark.rule("OUT-9")
def test_may_be_left_outside_is_stored_and_the_orderer_told_to_protect_it(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    r = _place(prescriber_client, _body(world.patient, prescription, leave_outside=True))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["delivery"]["leave_outside"] is True
    assert any("skyddas mot väder och vind" in notice for notice in body["notices"])
    assert Withdrawal.objects.get().leave_outside is True


@pytest.mark.rule("OUT-6")
def test_entry_phone_tells_the_orderer_the_recipient_must_be_home(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    r = _preview(prescriber_client, _body(world.patient, prescription, entry_phone=True))
    assert r.status_code == 200, r.content
    assert any("måste vara hemma" in notice for notice in r.json()["notices"])


@pytest.mark.rule("OUT-5")
def test_a_multi_family_building_needs_a_door_code(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    without = _body(world.patient, prescription, address=GOTHENBURG, multi_family=True)
    body = assert_error(_place(prescriber_client, without, key="a"), 422, "OUT-5")
    assert body["errors"][0]["field"] == "delivery.door_code"
    assert not Withdrawal.objects.exists()
    with_code = _body(
        world.patient, prescription, address=GOTHENBURG, multi_family=True, door_code="1234"
    )
    r = _place(prescriber_client, with_code, key="b")
    assert r.status_code == 201, r.content
    assert r.json()["delivery"]["multi_family"] is True
    house = _body(world.patient, prescription, address=GOTHENBURG, multi_family=False)
    assert _preview(prescriber_client, house).status_code == 200


@pytest.mark.rule("OUT-7")
def test_name_not_on_the_door_needs_care_of(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    r = _preview(prescriber_client, _body(world.patient, prescription, name_on_door=False))
    assert_error(r, 422, "OUT-7")


@pytest.mark.rule("OUT-2")
@pytest.mark.rule("OUT-3")
@pytest.mark.rule("OUT-4")
def test_outside_the_region_no_guarantee_and_nutrition_costs_extra(
    world: Any, nutrition_rx: Any
) -> None:
    dietitian = client_for(world.dietitian, world.unit)
    r = _place(dietitian, _body(world.patient, nutrition_rx, address=STOCKHOLM_ADDRESS))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["inside_region"] is False
    assert body["promised_delivery_date"] is None
    assert "garanteras inte" in body["promise_note"]
    assert body["fees"] == [
        {
            "kind": "nutrition_outside_region",
            "label": "Nutrition levererad utanför Västra Götaland",
            "amount": "150.00",
        }
    ]


@pytest.mark.rule("PICK-1")
@pytest.mark.rule("PICK-3")
def test_any_pickup_point_in_sweden_at_no_extra_cost(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    f.make_pickup_point(
        "PN-11151",
        name="Pressbyrån T-Centralen",
        street="Vasagatan 1",
        postcode="11120",
        city="Stockholm",
    )
    body = _body(
        world.patient,
        prescription,
        destination="pickup_point",
        pickup_point_id="PN-11151",
        notify_by="sms",
        phone="0701234567",
    )
    r = _place(prescriber_client, body)
    assert r.status_code == 201, r.content
    placed = r.json()
    assert placed["fees"] == []
    assert placed["delivery"]["address"]["city"] == "Stockholm"
    assert placed["delivery"]["pickup_point_id"] == "PN-11151"
    assert placed["pickup"] == {
        "point": {
            "code": "PN-11151",
            "name": "Pressbyrån T-Centralen",
            "street": "Vasagatan 1",
            "postcode": "11120",
            "city": "Stockholm",
        },
        "arrived_at": None,
        "collect_by": None,
        "collected_at": None,
    }
    assert any("fyrsiffriga koden" in notice for notice in placed["notices"])
    unknown = dict(body, delivery=dict(body["delivery"], pickup_point_id="PN-00000"))
    assert_error(_place(prescriber_client, unknown, key="k-2"), 422, "PICK-1")


@pytest.mark.rule("PICK-2")
def test_a_pickup_point_needs_a_notification_channel(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    f.make_pickup_point()
    body = _body(
        world.patient, prescription, destination="pickup_point", pickup_point_id="PN-41301"
    )
    r = _preview(prescriber_client, body)
    assert_error(r, 422, "PICK-2")
    body["delivery"]["notify_by"] = "email"
    r = _preview(prescriber_client, body)
    err = assert_error(r, 422, "PICK-2")
    assert err["errors"][0]["field"] == "delivery.email"
    body["delivery"]["email"] = "anna@example.se"
    r = _preview(prescriber_client, body)
    assert r.status_code == 200, r.content
    assert r.json()["notify_by"] == "email"


def test_preview_shows_what_placing_will_promise_and_writes_nothing(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    stock = Product.objects.get(pk=world.diabetes_product.pk).stock_quantity
    audit = AuditEvent.objects.count()
    body = _body(world.patient, prescription, speed="emergency", phone="0701234567")
    r = _preview(prescriber_client, body)
    assert r.status_code == 200, r.content
    preview = r.json()
    assert set(preview) == {
        "promised_delivery_date",
        "promise_note",
        "inside_region",
        "fees",
        "notices",
        "notify_by",
        "cost",  # the products' cost and who pays (INV-1)
    }
    assert not Withdrawal.objects.exists()
    assert not WithdrawalFee.objects.exists()
    assert AuditEvent.objects.count() == audit
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == stock
    # placing the same body keeps the promise and the fees shown
    placed = _place(prescriber_client, body).json()
    for key in ("promised_delivery_date", "promise_note", "inside_region", "fees", "notify_by"):
        assert placed[key] == preview[key], key


@pytest.mark.rule("SKYDD-1")
def test_preview_for_a_protected_patient_from_another_unit_is_404(
    world: Any, protected_patient: Any
) -> None:
    rx = f.make_prescription(
        patient=protected_patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    # SKYDD-5: to the unit, c/o the person responsible there
    body = _body(protected_patient, rx, destination="unit", care_of="Eva Ansvarig")
    outsider = client_for(world.outsider, world.other_unit)
    assert_error(_preview(outsider, body), 404, "not_found")
    assert (
        client_for(world.prescriber, world.unit)
        .post(PREVIEW, body, content_type="application/json")
        .status_code
        == 200
    )


def test_preview_refuses_roles_that_may_not_order(world: Any, prescription: Any) -> None:
    auditor = f.make_user("granskare", unit=None, role="granskare")
    assert_error(
        _preview(client_for(auditor, None), _body(world.patient, prescription)), 403, "ACC-2"
    )


def test_a_replay_answers_with_the_same_notices(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    body = _body(world.patient, prescription, leave_outside=True, entry_phone=True)
    first = _place(prescriber_client, body, key="same")
    again = _place(prescriber_client, body, key="same")
    assert (first.status_code, again.status_code) == (201, 200)
    assert len(first.json()["notices"]) == 2
    assert again.json()["notices"] == first.json()["notices"]
    assert again.json()["number"] == first.json()["number"]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("leave_outside", "yes", "invalid_boolean"),
        ("leave_outside", 1, "invalid_boolean"),
        ("leave_outside", None, "invalid_boolean"),
        ("multi_family", "true", "invalid_boolean"),
        ("multi_family", 0, "invalid_boolean"),
    ],
)
def test_new_delivery_flags_are_strict_booleans(
    world: Any, prescriber_client: Client, prescription: Any, field: str, value: Any, code: str
) -> None:
    body = _body(world.patient, prescription, **{field: value})
    err = assert_error(_place(prescriber_client, body), 422, code)
    assert err["errors"][0]["field"] == f"delivery.{field}"
    assert_error(_preview(prescriber_client, body), 422, code)


def test_preview_rejects_unknown_fields(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    body = _body(world.patient, prescription)
    body["confirm"] = True
    assert_error(_preview(prescriber_client, body), 422, "unknown_field")
