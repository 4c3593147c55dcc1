"""On a 390 px wide phone nothing on the ordering and patient pages is off-screen.

The tables stack their cells (NHS.UK responsive table), each cell with its heading;
the quantity input, the status and "Kan tas ut nu" must lie inside the viewport.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.web.tests.axe_support import log_in, verify_emails
from lmn.web.tests.test_browser import Checker
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WIDTH, HEIGHT = 390, 844


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="sv-SE", viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_on_screen(locator: Any) -> None:
    """Every match is visible and lies horizontally inside the phone's viewport."""
    assert locator.count() > 0
    for i in range(locator.count()):
        item = locator.nth(i)
        # no scrolling into view: that would scroll a wide table's container sideways
        box = item.bounding_box()
        assert box is not None, f"{item} has no box"
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (item, box)


def column(table: Any, heading: str) -> Any:
    """The body cells under the column `heading`, whatever the table's layout."""
    headings = [t.strip() for t in table.locator("thead th").all_inner_texts()]
    return table.locator(f"tbody tr > td:nth-child({headings.index(heading) + 1})")


def assert_no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"the page is {width} px wide"


def test_ordering_and_patient_pages_fit_a_phone(
    live_server: LiveServer, phone: Any, world: World
) -> None:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    place_withdrawal(
        WithdrawalDraft(patient=world.patient, lines=[LineDraft(rx.pk, 10)]),
        actor=world.actor(world.prescriber),
    )
    verify_emails()
    log_in(phone, live_server, world.prescriber)
    checker = Checker(phone)

    phone.goto(f"{live_server.url}/patienter/{world.patient.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Patientöversikt")
    prescriptions, history = phone.locator("main table").nth(0), phone.locator("main table").nth(1)
    assert_on_screen(column(prescriptions, "Kan tas ut nu"))
    assert_on_screen(column(prescriptions, "Status"))
    assert_on_screen(column(history, "Status").locator(".nhsuk-tag"))
    assert_no_sideways_scroll(phone)
    checker.check("phone-patient")

    phone.goto(f"{live_server.url}/patienter/{world.patient.pk}/uttag/ny/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Nytt uttag")
    quantity = phone.get_by_label(re.compile("^Antal Testremsor"))
    assert_on_screen(quantity)
    assert_on_screen(column(phone.locator("main table"), "Kan tas ut nu"))
    assert_no_sideways_scroll(phone)
    checker.check("phone-order")

    # letters are kept and reported, not silently dropped
    quantity.fill("5a")
    phone.get_by_role("button", name="Beställ").click()
    expect(phone.locator(".nhsuk-error-summary")).to_contain_text("Ange antalet som ett heltal.")
    expect(phone.get_by_label(re.compile("^Antal Testremsor"))).to_have_value("5a")
    assert_no_sideways_scroll(phone)
    checker.check("phone-order-error")


@pytest.mark.rule("EXPR-1", "AKUT-3")
def test_speeds_and_stock_follow_the_form_live(
    live_server: LiveServer, page: Page, world: World
) -> None:
    """htmx under the strict CSP swaps in the speeds and each line's problem as one types."""
    nutrition = f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )
    f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    world.nutrition_product.stock_quantity = 3
    world.nutrition_product.save(update_fields=["stock_quantity"])
    verify_emails()
    log_in(page, live_server, world.dietitian)
    checker = Checker(page)
    page.goto(f"{live_server.url}/patienter/{world.patient.pk}/uttag/ny/")
    express = page.get_by_role("radio", name="Express")
    expect(express).to_have_count(0)
    expect(page.locator("#speed-unavailable")).to_contain_text("bara för nutrition")

    page.get_by_label(re.compile(f"^Antal {world.nutrition_product.name}")).fill("10")
    page.get_by_label(re.compile(f"^Antal {world.nutrition_product.name}")).press("Tab")
    expect(express).to_be_visible()
    expect(page.locator("#speed-unavailable")).to_have_count(0)
    page.get_by_label("Telefon", exact=True).fill("070-123 45 67")
    express.check()
    expect(express).to_be_focused()  # the speeds did not change, so they were not swapped
    expect(page.locator(f"#line-problem-{nutrition.pk}")).to_contain_text("i lager: 3")
    expect(page.locator("#summary-body")).to_contain_text("finns inte i lager")
    checker.check("order-live-stock")
