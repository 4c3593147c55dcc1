"""Journeys that used to end in a dead end (issue 8), walked in Debian's Chromium with axe
on every page they pass: the protected patient's one withdrawal after an approved case,
an unknown LMA number to the asylum case, and cancelling a withdrawal before picking."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from lmn.cases.models import Case
from lmn.core import clock
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.web.tests.axe_support import Watch, assert_accessible, log_in
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def switch_user(page: Any, live_server: Any, user: Any) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, user)


@pytest.mark.rule("SKYDD-3", "SKYDD-5")
def test_prescriber_goes_from_the_approved_protected_case_to_the_withdrawal(
    live_server: LiveServer, page: Page, world: World
) -> None:
    watch = Watch(page)
    case = f.make_case(
        "protected_identity", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    # customer service approves the case in the back office
    log_in(page, live_server, world.customer_service)
    page.goto(f"{live_server.url}/kundtjanst/arenden/{case.pk}/")
    page.get_by_role("radio", name="Godkänn").check()
    page.get_by_role("button", name="Spara beslutet").click()
    case.refresh_from_db()
    assert case.status == "approved"

    # the prescriber opens the case, and from it the patient inside the unit
    switch_user(page, live_server, world.prescriber)
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    expect(page.locator(".nhsuk-panel")).to_contain_text(case.prescription.reference)
    assert_accessible(page, "approved protected case", watch)
    page.get_by_role("link", name="Gå till patienten och gör uttaget").click()
    expect(page).to_have_url(re.compile(rf"/patienter/{case.patient_id}/$"))
    assert_accessible(page, "protected patient overview", watch)
    page.get_by_role("link", name="Nytt uttag").click()

    # the one allowed withdrawal, to the unit c/o the person responsible there
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nytt uttag")
    assert_accessible(page, "protected withdrawal form", watch)
    page.get_by_label(re.compile("^Antal Testremsor Glukos")).fill("30")
    page.get_by_label("c/o på enheten").fill("Sjuksköterska Berg")
    page.get_by_role("button", name="Beställ").click()
    expect(page.locator("#withdrawal-number")).to_have_text(re.compile(r"U\d{8}"))
    assert_accessible(page, "protected withdrawal placed", watch)
    w = Withdrawal.objects.get(patient_id=case.patient_id)
    assert (w.destination, w.care_of, w.street) == ("unit", "Sjuksköterska Berg", world.unit.street)


@pytest.mark.rule("ASYL-6")
def test_an_unknown_lma_number_leads_to_the_asylum_case(
    live_server: LiveServer, page: Page, world: World
) -> None:
    watch = Watch(page)
    f.make_asylum_unit()
    log_in(page, live_server, world.prescriber)
    page.goto(live_server.url + "/")
    page.get_by_label("Personnummer").fill("50-008920/4")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("Ingen patient hittades")
    assert_accessible(page, "LMA not found", watch)
    page.get_by_role("button", name="Starta ärende för asylsökande").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Asylsökande")
    expect(page.get_by_label("LMA-nummer")).to_have_value("50-008920/4")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert_accessible(page, "asylum case prefilled", watch)
    page.get_by_label("Förnamn").fill("Amina")
    page.get_by_label("Efternamn").fill("Yusuf")
    page.get_by_label("Födelsedatum").fill("19900501")
    valid = (clock.today() + dt.timedelta(days=200)).strftime("%Y%m%d")
    page.get_by_label("LMA-kortet giltigt till").fill(valid)
    page.get_by_label("Produkt").select_option(world.diabetes_product.article_number)
    page.get_by_label("Förbrukning (antal)").fill("2")
    page.get_by_label("Per", exact=True).select_option("day")
    page.get_by_label("Vården kan inte anstå").check()
    page.get_by_role("button", name="Skicka till kundtjänst").click()

    expect(page.locator("#case-status")).to_be_visible()
    assert_accessible(page, "asylum case sent", watch)
    assert Case.objects.get().lma_number == "50008920"


def test_cancel_before_picking_and_the_timeline_shows_it(
    live_server: LiveServer, page: Page, world: World
) -> None:
    watch = Watch(page)
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(patient=world.patient, lines=[LineDraft(rx.pk, 10)]),
        actor=world.actor(world.prescriber),
    )
    log_in(page, live_server, world.prescriber)
    page.goto(f"{live_server.url}/uttag/{w.number}/")
    expect(page.locator("#timeline")).to_contain_text("Beställt")
    assert_accessible(page, "withdrawal placed", watch)

    # first a change of the door code, then the cancellation
    page.get_by_role("link", name="Ändra leveransuppgifter").click()
    assert_accessible(page, "change delivery form", watch)
    page.get_by_label("Gatuadress").fill("")
    page.get_by_role("button", name="Spara ändringen").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Ange gatuadress.")
    assert_accessible(page, "change delivery errors", watch)
    page.get_by_label("Gatuadress").fill("Storgatan 1")
    page.get_by_label("Portkod").fill("4711")
    page.get_by_role("button", name="Spara ändringen").click()
    expect(page.locator("#timeline")).to_contain_text("Leveransuppgifterna ändrade")
    expect(page.locator("#timeline")).not_to_contain_text("4711")

    page.get_by_role("link", name="Makulera uttaget").click()
    assert_accessible(page, "cancel confirmation", watch)
    page.get_by_role("button", name="Makulera uttaget").click()
    expect(page.locator("main")).to_contain_text(f"Uttaget {w.number} är makulerat.")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Makulerat")
    expect(timeline).to_contain_text(world.prescriber.display_name)
    expect(page.get_by_role("link", name="Makulera uttaget")).to_have_count(0)
    assert_accessible(page, "withdrawal cancelled", watch)
    assert Withdrawal.objects.get(pk=w.pk).status == "cancelled"
