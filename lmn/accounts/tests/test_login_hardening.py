"""Login hardening: lockout after repeated failures, session rotation, logout."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from pytest_django.fixtures import Settings as DjangoSettings

from lmn.audit.models import AuditEvent
from lmn.testing.types import World


def _token(client: Client, password: Any) -> Any:
    return client.post(
        "/api/v1/auth/token",
        data=json.dumps({"username": "forskrivare", "password": password, "unit": "602154"}),
        content_type="application/json",
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    world: World, client: Client
) -> None:
    world.prescriber.set_password("right-password")
    world.prescriber.save()
    for _ in range(4):
        assert _token(client, "wrong").status_code == 401
    assert _token(client, "wrong").status_code == 429  # the fifth failure locks
    locked = _token(client, "right-password")
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["code"] == "account_locked"
    assert AuditEvent.objects.filter(action="accounts.login.locked").exists()


def test_the_portal_says_in_swedish_that_the_account_is_locked(
    world: World, client: Client
) -> None:
    for _ in range(5):
        client.post("/logga-in/", {"username": "forskrivare", "password": "fel"})
    page = client.post("/logga-in/", {"username": "forskrivare", "password": "demo-pass-123"})
    assert page.status_code == 200
    assert "låst" in page.text
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_count(world: World, client: Client) -> None:
    for _ in range(4):
        _token(client, "wrong")
    assert _token(client, "demo-pass-123").status_code in (200, 201)
    for _ in range(4):
        _token(client, "wrong")
    assert _token(client, "demo-pass-123").status_code in (200, 201)


def test_login_rotates_the_session_key(world: World, client: Client) -> None:
    client.get("/logga-in/")
    client.cookies["sessionid"] = "attacker-chosen"
    client.post("/logga-in/", {"username": "forskrivare", "password": "demo-pass-123"})
    assert client.cookies["sessionid"].value != "attacker-chosen"
    assert client.session.get("_auth_user_id") == str(world.prescriber.pk)


def test_training_logins_work_only_in_training_mode(
    world: World, client: Client, settings: DjangoSettings
) -> None:
    settings.TRAINING_MODE = False
    assert _token(client, "demo-pass-123").status_code == 401
    settings.TRAINING_MODE = True
    assert _token(client, "demo-pass-123").status_code in (200, 201)
