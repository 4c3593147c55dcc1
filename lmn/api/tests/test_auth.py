from __future__ import annotations

from typing import Any

from django.test import Client

from lmn.api.tests.conftest import assert_error, post_json
from lmn.audit.models import AuditEvent

URL = "/api/v1/auth/token"


def test_login_with_unit_gives_a_token_that_authenticates(world: Any) -> None:
    # given a prescriber in unit 602154
    client = Client()
    # when they log in to that unit
    r = post_json(
        client, URL, {"username": "forskrivare", "password": "demo-pass-123", "unit": "602154"}
    )
    # then they get a token that opens the API
    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body) == {"token", "expires_at"}
    authed = Client(headers={"Authorization": f"Bearer {body['token']}"})
    assert authed.get("/api/v1/products").status_code == 200


def test_login_without_unit_for_customer_service(world: Any) -> None:
    r = post_json(Client(), URL, {"username": "kundtjanst", "password": "demo-pass-123"})
    assert r.status_code == 200, r.content
    r = post_json(
        Client(), URL, {"username": "kundtjanst", "password": "demo-pass-123", "unit": None}
    )
    assert r.status_code == 200, r.content


def test_bad_password_is_401_and_audited_without_the_password(world: Any) -> None:
    r = post_json(
        Client(), URL, {"username": "forskrivare", "password": "hemligt-fel", "unit": "602154"}
    )
    assert_error(r, 401, "invalid_credentials")
    event = AuditEvent.objects.get(action="accounts.login.failed")
    assert event.outcome == "denied"
    assert "hemligt-fel" not in str(event.data)
    assert "password" not in event.data


def test_login_to_a_unit_without_membership_is_403(world: Any) -> None:
    # given a prescriber of 602154, when logging in to 604500
    r = post_json(
        Client(), URL, {"username": "forskrivare", "password": "demo-pass-123", "unit": "604500"}
    )
    # then access is refused, and the refusal is audited
    assert_error(r, 403, "no_access_to_unit")
    assert AuditEvent.objects.filter(action="accounts.login.no_access", outcome="denied").exists()


def test_successful_login_is_audited(world: Any) -> None:
    post_json(
        Client(), URL, {"username": "forskrivare", "password": "demo-pass-123", "unit": "602154"}
    )
    event = AuditEvent.objects.get(action="accounts.login.succeeded")
    assert event.unit_number == "602154"
    assert "demo-pass-123" not in str(event.data)


def test_no_token_is_401(world: Any) -> None:
    r = Client().get("/api/v1/products")
    assert_error(r, 401, "not_authenticated")
    assert r["WWW-Authenticate"] == "Bearer"


def test_bad_token_is_401(world: Any) -> None:
    for header in ("Bearer nonsense", "Bearer ", "Basic abc", "Bearer " + "x" * 5000):
        r = Client(headers={"Authorization": header}).get("/api/v1/products")
        assert_error(r, 401, "not_authenticated")


def test_unit_must_be_six_digits(world: Any) -> None:
    r = post_json(
        Client(), URL, {"username": "forskrivare", "password": "demo-pass-123", "unit": "60215"}
    )
    assert_error(r, 422, "invalid_format")
