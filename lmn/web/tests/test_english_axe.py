"""A sample of portal pages in English (issue 11, Languages): the page says lang="en",
its words come from the English catalogue, and axe finds 0 WCAG 2.1 AA violations.

Every page is checked in Swedish by test_every_page_axe.py; the English pages have the
same markup, so a sample of each kind (lists, forms, summaries, a refusal-free start
page, the login) covers what a translation can break: labels, names and the language.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page as PwPage
from pytest_django.live_server_helper import LiveServer

from lmn.testing.types import World

from .axe_support import Watch, assert_accessible
from .test_every_page_axe import open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SAMPLE = [
    ("logga-in/", ""),
    ("", ""),
    ("hjalp/", ""),
    ("patienter/<int:patient_id>/", ""),
    ("patienter/<int:patient_id>/forskrivning/ny/", ""),
    ("patienter/<int:patient_id>/uttag/ny/", ""),
    ("uttag/<str:number>/", ""),
    ("uttag/<str:number>/leverans/", ""),
    ("min-sida/", ""),
    ("arenden/nytt/", ""),
    ("arenden/<int:case_id>/", ""),
    ("kundtjanst/", ""),
    ("distributor/", ""),
    ("distributor/uttag/<str:number>/uthamtning/", ""),
    ("administration/behorighet/<int:application_id>/", ""),
    ("avdelning/sambestallning/", ""),
]


def _in_english(page: Any, live_server: LiveServer) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


@pytest.mark.parametrize(("route", "kind"), [pytest.param(r, k, id=f"/{r}") for r, k in SAMPLE])
def test_english_page_passes_axe(
    route: str, kind: str, live_server: LiveServer, page: PwPage, world: World, email_gate: None
) -> None:
    _in_english(page, live_server)
    watch = Watch(page)
    opened, _ = open_page(route, kind, page=page, live_server=live_server, world=world)
    assert opened.status == 200, f"{opened.url}: {opened.status}"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="På svenska").is_visible()
    assert_accessible(page, f"{opened.url} (English)", watch)


def test_the_header_switches_language_and_back(
    live_server: LiveServer, page: PwPage, world: World
) -> None:
    page.goto(live_server.url + "/logga-in/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(live_server.url + "/logga-in/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    page.get_by_role("button", name="På svenska").click()
    page.wait_for_url(live_server.url + "/logga-in/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Logga in"
