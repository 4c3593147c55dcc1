"""The prescriber's whole journey in a real browser, with axe on every page.

Debian's Chromium through Playwright against pytest-django's live_server. Every page,
including forms that came back with errors, must have 0 axe violations at WCAG 2.1 AA,
and no page may trip the Content Security Policy.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.testing.types import World

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SHOTS = Path(os.environ.get("LMN_SCREENSHOTS", "/tmp/lmn-screenshots"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Checker:
    """Runs axe on the current page and remembers CSP or script errors in the console."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.axe = Axe()
        self.console_errors: list[str] = []
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )

    def check(self, name: str) -> None:
        results = self.axe.run(self.page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"
        assert self.console_errors == [], f"{name}: {self.console_errors}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.rule("GEN-2", "GEN-6", "SKYDD-10")
def test_prescriber_journey_from_login_to_my_page(
    live_server: LiveServer, page: Page, world: World
) -> None:
    checker = Checker(page)

    # Logga in: a failed attempt first, then the right password
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/logga-in/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    checker.check("01-login")
    page.get_by_label("Användarnamn").fill("forskrivare")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Fel användarnamn eller lösenord.")
    checker.check("02-login-error")
    page.get_by_label("Lösenord").fill("demo-pass-123")
    page.get_by_role("button", name="Logga in").click()

    # Start: patient search, with an invalid number first
    expect(page.get_by_role("heading", level=1)).to_have_text("Sök patient")
    expect(page.locator("header")).to_contain_text("Vårdcentralen Hjärtat (602154)")
    expect(page.locator("header")).to_contain_text("Förskrivare")
    checker.check("03-home")
    page.get_by_label("Personnummer").fill("19121212-1213")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator(".nhsuk-error-message")).to_contain_text("inte giltigt")
    checker.check("04-home-error")
    page.get_by_role("link", name=re.compile("inte giltigt")).click()
    expect(page.get_by_label("Personnummer")).to_be_focused()
    page.get_by_label("Personnummer").fill("19121212-1212")
    page.get_by_role("button", name="Sök", exact=True).click()

    # Patientöversikt
    expect(page).to_have_url(re.compile(rf"/patienter/{world.patient.pk}/(#.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tolvan Tolvansson")
    expect(page.get_by_text("Patienten har inga förskrivningar.")).to_be_visible()
    checker.check("05-overview-empty")
    page.get_by_role("link", name="Ny förskrivning").click()

    # Ny förskrivning: submit nothing first, then search with htmx and choose the product
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ny förskrivning")
    page.get_by_role("button", name="Spara förskrivningen").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Välj en produkt i listan.")
    checker.check("06-prescription-errors")
    page.get_by_label("Sök produkt").fill("Testremsor")
    expect(page.locator("#product-results")).to_contain_text("för ”Testremsor”")
    product = page.get_by_role("radio", name=re.compile("Testremsor Glukos"))
    expect(page.locator("#product-results .nhsuk-tag")).to_have_text("REK")  # GEN-6
    product.check()
    page.get_by_label("Förbrukning (antal)").fill("2")
    page.get_by_label("Per", exact=True).select_option("day")
    checker.check("07-prescription-filled")
    page.get_by_role("button", name="Spara förskrivningen").click()

    # back on the overview with the reference to document (GEN-2)
    panel = page.locator(".nhsuk-panel")
    expect(panel).to_contain_text(re.compile(r"Dokumentera i journalen: F\d{8}"))
    expect(page.locator("table").first).to_contain_text("180 st")
    checker.check("08-overview-prescribed")
    page.get_by_role("link", name="Nytt uttag").click()

    # Nytt uttag: a bad postcode first, then a valid order
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nytt uttag")
    expect(page.get_by_label("Gatuadress")).to_have_value("Storgatan 1")
    page.get_by_label(re.compile("^Antal Testremsor Glukos")).fill("60")
    page.get_by_label("Postnummer").fill("12")
    page.get_by_role("button", name="Beställ").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("svenskt postnummer")
    checker.check("09-withdrawal-errors")
    page.get_by_label("Postnummer").fill("413 01")
    page.get_by_label("c/o", exact=True).fill("Anna Andersson")
    page.get_by_label("Portkod", exact=True).fill("1234")
    page.get_by_label("Porttelefon finns").check()
    page.get_by_label("Telefon", exact=True).fill("070-123 45 67")
    page.get_by_label("E-postadress").fill("tolvan@example.se")
    checker.check("10-withdrawal-filled")
    page.get_by_role("button", name="Beställ").click()

    # Uttag: number and promised date
    number_el = page.locator("#withdrawal-number")
    expect(number_el).to_have_text(re.compile(r"^U\d{8}$"))
    number = number_el.inner_text()
    expect(page.locator("#promised-date")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(page.get_by_text("Leverans inom 5 arbetsdagar.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("60 st")
    expect(page.locator("main")).to_contain_text("c/o Anna Andersson")
    checker.check("11-withdrawal")

    # Min sida: a malformed number, then the real one shows the products (SKYDD-10)
    page.get_by_role("link", name="Min sida").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")
    expect(page.locator("main")).to_contain_text(world.prescriber.hsa_id)
    checker.check("12-my-page")
    page.get_by_label("Uttagsnummer").fill("12345")
    page.get_by_role("button", name="Visa uttag").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("U följt av åtta siffror")
    checker.check("13-my-page-error")
    page.get_by_label("Uttagsnummer").fill(number)
    page.get_by_role("button", name="Visa uttag").click()
    result = page.locator("#overview-result")
    expect(result).to_contain_text(f"Uttag {number}")
    expect(result).to_contain_text("Testremsor Glukos")
    expect(result).to_contain_text("60 st")
    checker.check("14-my-page-found")

    # Logga ut
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(page.get_by_text("Du är utloggad.")).to_be_visible()


def test_choose_unit_page_is_accessible(live_server: LiveServer, page: Page, world: World) -> None:
    f.add_membership(world.prescriber, unit=world.ward, role=Role.ORDERER)
    checker = Checker(page)
    page.goto(live_server.url + "/logga-in/")
    page.get_by_label("Användarnamn").fill("forskrivare")
    page.get_by_label("Lösenord").fill("demo-pass-123")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Välj enhet")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Välj den enhet")
    checker.check("15-choose-unit-error")
    page.get_by_label("Solgårdens särskilda boende (603001)").check()
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator("header")).to_contain_text("Beställare")
    page.get_by_role("link", name="Byt enhet").click()
    expect(page.get_by_label("Solgårdens särskilda boende (603001)")).to_be_checked()
    checker.check("16-choose-unit")
