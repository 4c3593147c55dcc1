"""POST /withdrawals/{number}/cancel and /delivery: until picked, idempotent, documented."""

from __future__ import annotations

from typing import Any

from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal


def _place(client: Client, world: Any, prescription: Any, key: str = "k1") -> str:
    body = {
        "patient_id": world.patient.pk,
        "lines": [{"prescription_id": prescription.pk, "quantity": 30}],
        "delivery": {"destination": "door", "speed": "standard"},
    }
    r = post_json(client, "/api/v1/withdrawals", body, **{"Idempotency-Key": key})
    assert r.status_code == 201, r.content
    return str(r.json()["number"])


def test_cancel_is_idempotent_and_refused_after_picking(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    number = _place(prescriber_client, world, prescription)
    url = f"/api/v1/withdrawals/{number}/cancel"
    first = post_json(prescriber_client, url, {})
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "cancelled"
    again = post_json(prescriber_client, url, {})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()

    picked = _place(prescriber_client, world, prescription, "k2")  # the entitlement is back
    depot = f.make_user("depa", role=Role.DISTRIBUTOR, unit=None)
    r = post_json(
        client_for(depot), f"/api/v1/distributor/withdrawals/{picked}/events", {"event": "picked"}
    )
    assert r.status_code == 200, r.content
    refused = post_json(prescriber_client, f"/api/v1/withdrawals/{picked}/cancel", {})
    assert_error(refused, 409, "already_picked")
    assert Withdrawal.objects.get(number=picked).status == "picked"


def test_change_delivery_is_checked_like_an_order_and_idempotent(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    f.make_pickup_point()
    number = _place(prescriber_client, world, prescription)
    url = f"/api/v1/withdrawals/{number}/delivery"
    bad = post_json(
        prescriber_client, url, {"destination": "pickup_point", "pickup_point_id": "PN-41301"}
    )
    assert_error(bad, 422, "PICK-2")
    body = {
        "destination": "pickup_point",
        "pickup_point_id": "PN-41301",
        "notify_by": "sms",
        "phone": "0701234567",
    }
    ok = post_json(prescriber_client, url, body)
    assert ok.status_code == 200, ok.content
    assert ok.json()["delivery"]["pickup_point_id"] == "PN-41301"
    assert ok.json()["delivery"]["speed"] == "standard"
    again = post_json(prescriber_client, url, body)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    unknown = post_json(prescriber_client, url, {**body, "speed": "express"})
    assert_error(unknown, 422, "unknown_field")  # the speed is not changed here


def test_another_units_orderer_is_refused_and_other_units_get_404(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    number = _place(prescriber_client, world, prescription)
    # in the patient's care (PDL-1), so that it sees the withdrawal: and may still not change it
    f.in_care(world.patient, world.orderer, world.ward)
    ward = client_for(world.orderer, world.ward)
    assert_error(post_json(ward, f"/api/v1/withdrawals/{number}/cancel", {}), 422, "not_orderer")
    assert_error(
        post_json(
            client_for(world.outsider, world.other_unit), "/api/v1/withdrawals/U0/cancel", {}
        ),
        404,
        "not_found",
    )


def test_cancel_and_change_are_in_the_openapi_document(db: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    cancel = paths["/api/v1/withdrawals/{number}/cancel"]["post"]
    change = paths["/api/v1/withdrawals/{number}/delivery"]["post"]
    for op in (cancel, change):
        assert {"200", "404", "409", "422"} <= set(op["responses"])
    assert "requestBody" in change
