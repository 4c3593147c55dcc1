"""Fixtures for the portal's tests: logged-in clients and a shared headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page

from lmn.testing.types import ClientFor

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture
def client_for(client: Client) -> ClientFor:
    """A client logged in as the user (with one membership the unit is chosen at once)."""

    def login(user: Any) -> Client:
        client.force_login(user)
        return client

    return login


@pytest.fixture
def email_gate() -> None:
    """Request this to keep the CON-3 e-mail gate on; other portal tests start verified."""


@pytest.fixture(autouse=True)
def _emails_verified(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Personas' e-mail addresses count as verified unless a test asks for `email_gate`,
    so tests of other pages are not sent to the verification page first (CON-3)."""
    if "email_gate" in request.fixturenames:
        return
    monkeypatch.setattr("lmn.web.middleware.email_gate_closed", lambda actor, *, today: False)
    # some journeys go through the API too, which keeps the same gate
    monkeypatch.setattr("lmn.api.auth.email_gate_closed", lambda actor, *, today: False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
