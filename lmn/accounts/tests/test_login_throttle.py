"""Login flood control: per address and for everyone, before any password hash runs."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from lmn.core.actor import Role
from lmn.testing import factories as f


class CountingHasher(MD5PasswordHasher):
    """The tests' hasher, counting how often a password is hashed."""

    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        self.calls.append("encode")
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings: Any) -> list[str]:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    settings.LMN_LOGIN_ATTEMPTS_PER_ADDRESS = 3
    settings.LMN_LOGIN_ATTEMPTS_GLOBAL = 100
    CountingHasher.calls.clear()
    return CountingHasher.calls


def _token(client: Client, username: str, password: str, address: str) -> Any:
    body = {"username": username, "password": password, "unit": "602154"}
    return client.post(
        "/api/v1/auth/token",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_the_api_refuses_the_attempt_past_the_limit_before_hashing(
    world: Any, client: Client, hashes: list[str]
) -> None:
    for n in range(3):  # unknown usernames: axes never locks these
        assert _token(client, f"okand{n}", "gissning", "10.0.0.9").status_code == 401
    hashed = len(hashes)
    assert hashed >= 3

    refused = _token(client, "okand9", "gissning", "10.0.0.9")
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == "too_many_login_attempts"
    assert "Vänta" in refused.json()["errors"][0]["message"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert len(hashes) == hashed  # no password was hashed for the refused attempt

    # a user at another address is under its own limit and gets in
    assert _token(client, "forskrivare", "demo-pass-123", "10.0.0.10").status_code == 200


def test_the_portal_says_in_swedish_when_to_try_again(
    world: Any, client: Client, hashes: list[str]
) -> None:
    for _ in range(3):
        client.post("/logga-in/", {"username": "vem", "password": "x"}, REMOTE_ADDR="10.0.0.7")
    hashed = len(hashes)
    page = client.post(
        "/logga-in/",
        {"username": "forskrivare", "password": "demo-pass-123"},
        REMOTE_ADDR="10.0.0.7",
    )
    assert page.status_code == 429
    assert "För många inloggningsförsök" in page.text
    assert page["Retry-After"].isdigit()
    assert "_auth_user_id" not in client.session
    assert len(hashes) == hashed


def test_the_admin_login_is_limited_too(world: Any, client: Client, hashes: list[str]) -> None:
    admin = f.make_user("admin1", unit=None, role=Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    form = {"username": "admin1", "password": "fel", "next": "/admin/"}
    for _ in range(3):
        assert client.post("/admin/login/", form, REMOTE_ADDR="10.0.0.5").status_code == 200
    hashed = len(hashes)
    form["password"] = "demo-pass-123"
    refused = client.post("/admin/login/", form, REMOTE_ADDR="10.0.0.5")
    assert refused.status_code == 429
    assert "För många inloggningsförsök" in refused.text
    assert refused["Retry-After"].isdigit()
    assert len(hashes) == hashed
    assert "_auth_user_id" not in client.session


def test_a_global_cap_holds_when_many_addresses_share_a_flood(
    world: Any, client: Client, hashes: list[str], settings: Any
) -> None:
    settings.LMN_LOGIN_ATTEMPTS_GLOBAL = 5
    for n in range(5):
        assert _token(client, "okand", "gissning", f"10.1.0.{n}").status_code == 401
    hashed = len(hashes)
    refused = _token(client, "forskrivare", "demo-pass-123", "10.2.0.1")
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert len(hashes) == hashed


def test_behind_a_trusted_proxy_the_address_it_saw_counts(
    world: Any, client: Client, hashes: list[str], settings: Any
) -> None:
    settings.LMN_TRUSTED_PROXIES = 1

    def via_proxy(forwarded: str, password: str = "fel") -> Any:
        body = {"username": "forskrivare", "password": password, "unit": "602154"}
        return client.post(
            "/api/v1/auth/token",
            json.dumps(body),
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for n in range(3):  # the client varies the part it writes itself; the proxy's stays
        assert via_proxy(f"192.0.2.{n}, 10.9.9.9").status_code == 401
    assert via_proxy("192.0.2.99, 10.9.9.9").status_code == 429
    assert via_proxy("10.9.9.8", password="demo-pass-123").status_code == 200
