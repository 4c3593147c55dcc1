"""An emergency order to a pickup point in a real browser, then the distributor's part.

The live summary (htmx) must show the emergency fee before the order is confirmed, and
every page state (pickup search, live summary with and without refusals, the queue, the
collection form with its refusal) must have 0 axe violations at WCAG 2.1 AA. Dates are
asserted by format only: the live server runs on the real clock.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.web.tests.test_browser import Checker
from lmn.withdrawals.models import Withdrawal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(live_server.url + "/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("demo-pass-123")
    page.get_by_role("button", name="Logga in").click()


@pytest.mark.rule("AKUT-8", "AKUT-5", "PICK-1", "PICK-2", "PICK-9")
def test_emergency_order_to_pickup_point_then_distributor_moves_it(
    live_server: LiveServer, page: Page, world: World
) -> None:
    f.make_pickup_point()
    f.make_pickup_point("PN-97231", name="Coop Luleå", postcode="97231", city="Luleå")
    f.make_user("distributor", unit=None, role=Role.DISTRIBUTOR)
    f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    checker = Checker(page)

    # the prescriber orders: the form offers only the allowed speeds
    _login(page, live_server, "forskrivare")
    page.goto(f"{live_server.url}/patienter/{world.patient.pk}/uttag/ny/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nytt uttag")
    expect(page.get_by_role("radio", name="Akut")).to_be_visible()
    expect(page.get_by_role("radio", name="Express")).to_have_count(0)
    expect(page.locator("#speed-unavailable")).to_contain_text(
        "Express gäller bara nutritionsprodukter och beställs av förskrivaren."
    )
    expect(page.get_by_label("Sök utlämningsställe")).to_be_hidden()
    checker.check("20-order-form")

    # pickup point: search by postcode with htmx, then choose
    page.get_by_label(re.compile("^Antal Testremsor Glukos")).fill("30")
    page.get_by_role("radio", name="Utlämningsställe").check()
    expect(page.get_by_label("Gatuadress")).to_be_hidden()
    page.get_by_label("Sök utlämningsställe").fill("413")
    point = page.get_by_role("radio", name="ICA Nära Linné")
    expect(point).to_be_visible()
    expect(page.locator("#pickup-results")).not_to_contain_text("Coop Luleå")
    checker.check("21-pickup-search")
    point.check()

    # emergency without a phone: the live summary says why, in Swedish
    page.get_by_role("radio", name="Akut").check()
    summary = page.locator("#summary-body")
    expect(summary).to_contain_text("Ange telefonnummer till patienten eller en kontaktperson.")
    checker.check("22-live-summary-refusal")

    # with a phone: promise, fee and pickup notices before confirming (AKUT-8)
    page.get_by_label("Telefon", exact=True).fill("070-123 45 67")
    page.get_by_label("Telefon", exact=True).press("Tab")
    expect(summary.locator("#preview-fees")).to_contain_text("Akutleverans: 250\u00a0kr")
    expect(summary.locator("#preview-date")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(summary).to_contain_text("Sms")  # AKUT-5
    expect(summary.locator("#preview-notices")).to_contain_text("fyrsiffriga koden")
    assert not Withdrawal.objects.exists()
    checker.check("23-live-summary")
    page.get_by_role("button", name="Beställ").click()

    # the withdrawal page: status, fee, promise, pickup point
    number_el = page.locator("#withdrawal-number")
    expect(number_el).to_have_text(re.compile(r"^U\d{8}$"))
    number = number_el.inner_text()
    expect(page.locator("#fees")).to_contain_text("Akutleverans: 250\u00a0kr")
    expect(page.locator("#pickup-point")).to_contain_text("ICA Nära Linné")
    expect(page.locator("#delivery-mode")).to_contain_text("Utlämningsställe, akut")
    expect(page.locator("#promised-date")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    checker.check("24-withdrawal-emergency")
    page.get_by_role("button", name="Logga ut").click()

    # the distributor moves it along
    _login(page, live_server, "distributor")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arbetskö")
    expect(page.locator("header")).to_contain_text("Distributör")
    row = page.locator(f"#row-{number}")
    expect(row).to_contain_text("Akut")
    expect(row.get_by_role("link", name=f"Etikett (PDF) för {number}")).to_be_visible()
    checker.check("25-distributor-queue")
    page.get_by_role("button", name=f"Plockad {number}").click()
    expect(page.locator("main")).to_contain_text(f"{number}: Plockad.")
    page.get_by_role("button", name=f"Skickad {number}").click()
    page.get_by_role("button", name=f"Ankommen till utlämningsstället {number}").click()
    expect(page.locator("main")).to_contain_text(f"{number}: Finns på utlämningsstället.")
    expect(page.get_by_label(f"Returorsak för {number}")).to_be_visible()
    checker.check("26-distributor-arrived")

    # collection: a wrong code first (PICK-9), then the right one
    page.get_by_role("link", name=f"Registrera uthämtning av {number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registrera uthämtning")
    expect(page.locator("main")).to_contain_text("Tolvan Tolvansson")
    checker.check("27-collection")
    code = Withdrawal.objects.get(number=number).pickup_code
    page.get_by_label("Kod från aviseringen").fill("0000" if code != "0000" else "1111")
    page.get_by_role("radio", name="Mottagaren själv").check()
    page.get_by_label("Mottagarens legitimation visades").check()
    page.get_by_label("Legitimation", exact=True).select_option("Körkort")
    page.get_by_role("button", name="Registrera uthämtning").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Koden stämmer inte med aviseringens kod."
    )
    checker.check("28-collection-error")
    page.get_by_label("Kod från aviseringen").fill(code)
    page.get_by_role("button", name="Registrera uthämtning").click()
    expect(page.locator("main")).to_contain_text(f"{number}: uthämtad.")
    expect(page.locator(f"#row-{number}")).to_have_count(0)
    checker.check("29-distributor-done")
