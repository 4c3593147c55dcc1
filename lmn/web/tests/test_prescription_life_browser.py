"""Journeys of a prescription's life in Debian's Chromium, axe on every page passed:
renew from the work list (RX-2), and move to another unit, sent and accepted (RX-4)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from lmn.core import clock
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.web.tests.axe_support import Watch, assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def switch_user(page: Any, live_server: Any, user: Any) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, user)


@pytest.mark.rule("RX-2")
def test_renew_from_the_work_list(live_server: LiveServer, page: Page, world: World) -> None:
    watch = Watch(page)
    p = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        valid_until=clock.today() + dt.timedelta(days=12),
    )
    log_in(page, live_server, world.prescriber)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Arbetslista").click()
    expect(page.locator("#expiring")).to_contain_text(p.reference)
    assert_accessible(page, "work list", watch)
    page.get_by_role("link", name=f"Förnya {p.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Förnya förskrivning")
    assert_accessible(page, "renew form", watch)
    page.get_by_role("button", name="Förnya").click()
    expect(page).to_have_url(re.compile(r"/arbetslista/$"))
    expect(page.locator("#expiring")).to_have_count(0)
    assert_accessible(page, "work list after renewal", watch)
    renewed = Prescription.objects.get(pk=p.pk)
    assert (renewed.version, renewed.valid_until) == (2, clock.add_months(clock.today(), 12))


@pytest.mark.rule("RX-4")
def test_move_to_home_care_sent_and_accepted(
    live_server: LiveServer, page: Page, world: World
) -> None:
    watch = Watch(page)
    home = f.make_unit("605100", name="Hemsjukvården Kommunen", kind="home_care")
    nurse = f.make_user("ssk", unit=home, areas=["diabetes"])
    p = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    log_in(page, live_server, world.prescriber)
    page.goto(f"{live_server.url}/patienter/{world.patient.pk}/")
    page.get_by_role("link", name=p.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(p.reference)
    assert_accessible(page, "prescription page", watch)
    page.get_by_role("link", name="Flytta till annan enhet").click()
    assert_accessible(page, "move form", watch)
    page.get_by_role("button", name="Skicka till enheten").click()  # empty: told on the field
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page, "move form with errors", watch)
    page.get_by_label("Mottagande enhetens kundnummer").fill("605100")
    page.get_by_label(re.compile("Meddelande")).fill("Patienten flyttar hem med hemsjukvård.")
    page.get_by_role("button", name="Skicka till enheten").click()
    expect(page.locator("#pending-move")).to_contain_text("Hemsjukvården Kommunen")
    assert_accessible(page, "prescription waiting for the move", watch)

    switch_user(page, live_server, nurse)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Flyttar").click()
    expect(page.locator("#incoming")).to_contain_text(p.reference)
    assert_accessible(page, "moves inbox", watch)
    page.get_by_role("button", name=f"Ta emot {p.reference}").click()
    expect(page.locator("#no-moves")).to_be_visible()
    assert_accessible(page, "moves inbox after accepting", watch)
    page.goto(f"{live_server.url}/forskrivningar/{p.pk}/")
    expect(page.locator("#unit")).to_have_text("Hemsjukvården Kommunen")
    assert_accessible(page, "moved prescription", watch)
    assert Prescription.objects.get(pk=p.pk).unit == home
