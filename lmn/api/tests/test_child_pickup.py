"""A child's parcel at a pickup point over the API (PICK-8): the preview says who may
collect, an adult relative is named as contact with a validated phone, and a guardian
with a population-register extract collects for a child without identification."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CHILD_TEXT = "Ett barn med giltig legitimation får hämta paketet själv"


@pytest.fixture(autouse=True)
def monday() -> Any:
    with time_machine.travel(MONDAY, tick=False):
        yield


def _body(world: Any, patient: Any, **delivery: Any) -> dict[str, Any]:
    rx = f.make_prescription(
        patient=patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    return {
        "patient_id": patient.pk,
        "lines": [{"prescription_id": rx.pk, "quantity": 10}],
        "delivery": {
            "destination": "pickup_point",
            "pickup_point_id": "PN-41301",
            "notify_by": "sms",
            "phone": "0701234567",
            **delivery,
        },
    }


@pytest.mark.rule("PICK-8")
def test_the_preview_for_a_child_says_who_may_collect_and_an_adults_does_not(
    world: Any, prescriber_client: Client
) -> None:
    f.make_pickup_point()
    child = f.make_child()
    r = post_json(prescriber_client, "/api/v1/withdrawals/preview", _body(world, child))
    assert r.status_code == 200, r.content
    assert any(CHILD_TEXT in n for n in r.json()["notices"])
    adult = post_json(prescriber_client, "/api/v1/withdrawals/preview", _body(world, world.patient))
    assert adult.status_code == 200, adult.content
    assert not any(CHILD_TEXT in n for n in adult.json()["notices"])


@pytest.mark.rule("PICK-8")
def test_placing_for_a_child_answers_with_the_notices_the_service_decided(
    world: Any, prescriber_client: Client
) -> None:
    """The answer carries the notices stored with the withdrawal, the child's too; the
    API does not work them out again (it once did, without the child's age)."""
    f.make_pickup_point()
    child = f.make_child()
    placed = post_json(
        prescriber_client, "/api/v1/withdrawals", _body(world, child), **{"Idempotency-Key": "k"}
    )
    assert placed.status_code == 201, placed.content
    assert any(CHILD_TEXT in n for n in placed.json()["notices"])
    stored = Withdrawal.objects.get(number=placed.json()["number"]).notices
    assert placed.json()["notices"] == stored


@pytest.mark.rule("PICK-8")
def test_a_childs_contact_with_phone_and_a_guardians_collection(
    world: Any, prescriber_client: Client
) -> None:
    f.make_pickup_point()
    child = f.make_child()
    bad = _body(world, child, contact_person="Anna Tolvansson", contact_phone="12")
    r = post_json(prescriber_client, "/api/v1/withdrawals/preview", bad)
    body = assert_error(r, 422, "invalid_phone")
    assert body["errors"][0]["field"] == "delivery.contact_phone"
    good = _body(world, child, contact_person="Anna Tolvansson", contact_phone="070-765 43 21")
    placed = post_json(prescriber_client, "/api/v1/withdrawals", good, **{"Idempotency-Key": "c"})
    assert placed.status_code == 201, placed.content
    assert placed.json()["delivery"]["contact_phone"] == "+46707654321"
    number = placed.json()["number"]
    depot = client_for(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None), None)
    queue = "/api/v1/distributor/withdrawals"
    for event in ("picked", "shipped", "arrived"):
        assert post_json(depot, f"{queue}/{number}/events", {"event": event}).status_code == 200
    collection = {
        "code": Withdrawal.objects.get(number=number).pickup_code,
        "collector": "guardian",
        "recipient_id_shown": False,
        "collector_id_shown": True,
        "id_document": "körkort",
        "collector_name": "Anna Tolvansson",
    }
    refused = post_json(depot, f"{queue}/{number}/collection", collection)
    assert assert_error(refused, 422, "PICK-8")["errors"][0]["field"] == "register_extract_shown"
    collection["register_extract_shown"] = True
    done = post_json(depot, f"{queue}/{number}/collection", collection)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "collected"
