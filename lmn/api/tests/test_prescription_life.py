"""The prescription's life over the API: change, renew, end, replace, move (RX-1..RX-4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.core import clock
from lmn.prescriptions.models import Prescription, PrescriptionMove
from lmn.testing import factories as f
from lmn.testing.types import World

RX = "/api/v1/prescriptions"


def url(p: Any, action: str) -> str:
    return f"{RX}/{p.pk}/{action}"


def change_body(p: Any, version: int = 1, amount: int = 2) -> dict[str, Any]:
    return {
        "based_on_version": version,
        "consumption": {"amount": amount, "per": "day"},
        "valid_until": p.valid_until.isoformat(),
        "max_supply_days": 90,
    }


@pytest.mark.rule("RX-1")
def test_a_change_is_a_version_sent_again_it_answers_the_same(
    prescriber_client: Client, prescription: Any
) -> None:
    body = change_body(prescription)
    first = post_json(
        prescriber_client, url(prescription, "change"), body, **{"Idempotency-Key": "c1"}
    )
    assert first.status_code == 200, first.content
    assert (first.json()["version"], first.json()["consumption"]["amount"]) == (2, 2)
    again = post_json(
        prescriber_client, url(prescription, "change"), body, **{"Idempotency-Key": "c1"}
    )
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert Prescription.objects.get(pk=prescription.pk).version == 2
    history = prescriber_client.get(url(prescription, "versions")).json()
    assert [v["kind"] for v in history["versions"]] == ["created", "changed"]
    # the same key for another request is a conflict; a stale version is a clear refusal
    other = post_json(
        prescriber_client, url(prescription, "change"), change_body(prescription, 1, 5),
        **{"Idempotency-Key": "c1"},
    )  # fmt: skip
    assert_error(other, 409, "idempotency_key_reused")
    stale = post_json(
        prescriber_client, url(prescription, "change"), change_body(prescription, 1, 5),
        **{"Idempotency-Key": "c2"},
    )  # fmt: skip
    body_ = assert_error(stale, 422, "stale_version")
    assert "version 2" in body_["errors"][0]["message"]


def test_an_action_without_an_idempotency_key_is_refused(
    prescriber_client: Client, prescription: Any
) -> None:
    r = post_json(prescriber_client, url(prescription, "change"), change_body(prescription))
    assert_error(r, 400, "idempotency_key_required")


@pytest.mark.rule("RX-2")
def test_renew_in_one_request(world: World, prescriber_client: Client) -> None:
    p = f.make_prescription(
        patient=world.patient, product=world.diabetes_product, prescriber=world.prescriber,
        unit=world.unit, valid_until=clock.today() + dt.timedelta(days=10),
    )  # fmt: skip
    r = post_json(
        prescriber_client, url(p, "renew"), {"based_on_version": 1}, **{"Idempotency-Key": "r"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["valid_until"] == clock.add_months(clock.today(), 12).isoformat()


@pytest.mark.rule("RX-3")
def test_end_with_a_reason_and_then_renewing_is_refused(
    prescriber_client: Client, prescription: Any
) -> None:
    body = {"based_on_version": 1, "reason": "deceased", "stop_open_withdrawals": True}
    r = post_json(prescriber_client, url(prescription, "end"), body, **{"Idempotency-Key": "e"})
    assert r.status_code == 200, r.content
    assert r.json()["prescription"]["status"] == "ended"
    assert r.json()["prescription"]["end_reason"] == "deceased"
    again = post_json(prescriber_client, url(prescription, "end"), body, **{"Idempotency-Key": "e"})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    renew = post_json(
        prescriber_client, url(prescription, "renew"), {"based_on_version": 2},
        **{"Idempotency-Key": "r"},
    )  # fmt: skip
    assert_error(renew, 422, "prescription_ended")


@pytest.mark.rule("RX-3")
def test_replace_answers_both_prescriptions_linked(
    world: World, prescriber_client: Client, prescription: Any
) -> None:
    new = f.make_product("diabetes", name="Nya remsor")
    body = {
        "based_on_version": 1,
        "stop_open_withdrawals": False,
        "article_number": new.article_number,
        "consumption": {"amount": 1, "per": "day"},
    }
    r = post_json(prescriber_client, url(prescription, "replace"), body, **{"Idempotency-Key": "x"})
    assert r.status_code == 201, r.content
    assert r.json()["replacement"]["replaces_id"] == prescription.pk
    assert r.json()["prescription"]["status"] == "ended"


@pytest.mark.rule("RX-4")
def test_move_and_accept_over_the_api(
    world: World, prescriber_client: Client, prescription: Any
) -> None:
    home = f.make_unit("605100", name="Hemsjukvården", kind="home_care")
    nurse = f.make_user("ssk", unit=home, areas=["diabetes"])
    r = post_json(
        prescriber_client, url(prescription, "moves"),
        {"based_on_version": 1, "to_unit": "605100"}, **{"Idempotency-Key": "m"},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    move_id = r.json()["id"]
    receiver = client_for(nurse, home)
    inbox = receiver.get("/api/v1/prescription-moves").json()
    assert [m["id"] for m in inbox] == [move_id]
    refused = post_json(
        prescriber_client, f"/api/v1/prescription-moves/{move_id}/accept", {},
        **{"Idempotency-Key": "a"},
    )  # fmt: skip
    assert_error(refused, 422, "not_receiving_unit")
    accepted = post_json(
        receiver, f"/api/v1/prescription-moves/{move_id}/accept", {}, **{"Idempotency-Key": "a"}
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert Prescription.objects.get(pk=prescription.pk).unit == home
    assert PrescriptionMove.objects.get().decided_by == nurse


@pytest.mark.rule("RX-4")
def test_a_move_to_a_unit_without_payer_is_refused(
    world: World, prescriber_client: Client, prescription: Any
) -> None:
    f.make_unit("605300", payer_per_area=False)
    r = post_json(
        prescriber_client, url(prescription, "moves"),
        {"based_on_version": 1, "to_unit": "605300"}, **{"Idempotency-Key": "m"},
    )  # fmt: skip
    assert_error(r, 422, "unit_lacks_payer")
    unknown = post_json(
        prescriber_client, url(prescription, "moves"),
        {"based_on_version": 1, "to_unit": "000000"}, **{"Idempotency-Key": "m2"},
    )  # fmt: skip
    assert_error(unknown, 422, "unit_not_found")


def test_templates_and_work_lists(world: World, prescriber_client: Client) -> None:
    body = {
        "article_number": world.diabetes_product.article_number,
        "consumption": {"amount": 2, "per": "day"},
    }
    r = post_json(
        prescriber_client, "/api/v1/prescription-templates", body, **{"Idempotency-Key": "t"}
    )
    assert r.status_code == 201, r.content
    listed = prescriber_client.get("/api/v1/prescription-templates").json()
    assert [t["article_number"] for t in listed] == [world.diabetes_product.article_number]
    removed = post_json(
        prescriber_client, f"/api/v1/prescription-templates/{r.json()['id']}/remove", {}
    )
    assert removed.status_code == 204
    f.make_prescription(
        patient=world.patient, product=world.diabetes_product, prescriber=world.prescriber,
        unit=world.unit, valid_until=clock.today() + dt.timedelta(days=10),
    )  # fmt: skip
    lists = prescriber_client.get("/api/v1/worklists?scope=unit").json()
    assert len(lists["expiring"]) == 1 and lists["overdue"] == []


def test_the_openapi_document_names_every_action() -> None:
    from lmn.api.urls import api

    paths = api.get_openapi_schema()["paths"]
    for action in ("change", "renew", "end", "replace", "moves", "versions"):
        assert f"/api/v1/prescriptions/{{prescription_id}}/{action}" in paths
    assert "/api/v1/prescription-moves/{move_id}/accept" in paths
