"""The special states of portal pages, in Debian's Chromium, pass axe at WCAG 2.1 AA.

Each form page sent empty (its error state), a search that finds nobody, the page of a
deceased patient and the error pages. The single table of pages is in
test_every_page_axe.py; these open pages the same way."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page as PwPage
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from lmn.cases.register_sync import sync_register
from lmn.cases.states import CaseKind
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.testing import factories as f
from lmn.testing.types import World

from .axe_support import Data, Watch, assert_accessible, log_in, verify_emails
from .test_every_page_axe import open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# --- forms sent empty: the error state of each form page ---------------------------------

# (route, kind, the submit button); the answer must show the error summary
EMPTY_FORMS = [
    *[("arenden/nytt/<str:kind>/", k, "Skicka till kundtjänst") for k in CaseKind.values],
    ("ansokningar/behorighet/<str:kind>/", "ny", "Skicka ansökan"),
    ("ansokningar/enhet/", "", "Skicka ansökan"),
    ("avdelning/sambestallning/", "", "Fortsätt till sammanfattning"),
    ("logga-in/", "", "Logga in"),
    ("valj-enhet/", "", "Fortsätt"),
    ("patienter/<int:patient_id>/forskrivning/ny/", "", "Spara förskrivningen"),
    ("patienter/<int:patient_id>/uttag/ny/", "", "Beställ"),
    ("patienter/<int:patient_id>/paminnelser/", "", "Spara"),
    ("kundtjanst/talong/", "", "Visa talongen"),
    ("administration/behorighet/<int:application_id>/", "", "Spara beslutet"),
    ("administration/enheter/<int:application_id>/", "", "Spara beslutet"),
    ("administration/utskick/", "", "Skicka utskicket"),
    ("kundtjanst/arenden/<int:case_id>/", "", "Spara beslutet"),
    ("kundtjanst/patienter/<int:patient_id>/konvertering/", "", "Konvertera"),
    ("distributor/uttag/<str:number>/uthamtning/", "", "Registrera uthämtning"),
    ("arenden/nytt/", "", "Fortsätt"),
    # the delivery change form opens filled in: its error state is checked in
    # test_journeys_browser.py (cancel before picking)
    ("kundtjanst/uppfoljningar/", "", "Spara enhetens beslut"),  # SKYDD-5
    ("patienter/<int:patient_id>/vardrelation/", "", "Ange vårdrelation"),  # PDL-1
    ("patienter/<int:patient_id>/nodatkomst/", "", "Öppna med nödåtkomst"),  # PDL-2
    ("kundtjanst/patienter/<int:patient_id>/sparrar/", "", "Registrera spärren"),  # PDL-2
]


@pytest.mark.parametrize(
    ("route", "kind", "button"),
    [pytest.param(r, k, b, id=f"/{r}[{k}]" if k else f"/{r}") for r, k, b in EMPTY_FORMS],
)
def test_form_with_errors_passes_axe(
    route: Any,
    kind: Any,
    button: Any,
    live_server: LiveServer,
    page: PwPage,
    world: World,
    email_gate: None,
) -> None:
    watch = Watch(page)
    opened, _ = open_page(route, kind, page=page, live_server=live_server, world=world)
    assert opened.status == 200, f"{opened.url}: {opened.status}"
    page.locator("main").get_by_role("button", name=button, exact=True).first.click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page, f"{opened.url} sent empty", watch)


@pytest.mark.rule("PAT-1")
def test_search_that_finds_nobody_passes_axe(
    live_server: LiveServer, page: PwPage, world: World, email_gate: None
) -> None:
    """The answer to a number the register does not give LMN, with the way to the case."""
    watch = Watch(page)
    verify_emails()
    log_in(page, live_server, world.prescriber)
    page.goto(live_server.url + "/")
    page.get_by_label("Personnummer", exact=False).first.fill("19880214-1427")
    page.locator("main").get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator("#not-in-register")).to_be_visible()
    to_case = "Skicka ärende för patient folkbokförd i annan region"
    expect(page.get_by_role("link", name=to_case)).to_be_visible()
    assert_accessible(page, "/ not found", watch)


@pytest.mark.rule("PAT-1")
def test_patient_page_of_a_deceased_patient_passes_axe(
    live_server: LiveServer, page: PwPage, world: World, email_gate: None
) -> None:
    watch = Watch(page)
    data = Data(world)
    data.withdrawal
    f.register_person(world.patient.identifier, deceased_on=clock.today())
    sync_register(actor=Actor.system("register-sync"))
    verify_emails()
    log_in(page, live_server, world.prescriber)
    page.goto(f"{live_server.url}/patienter/{world.patient.pk}/")
    expect(page.locator("#deceased")).to_be_visible()
    assert_accessible(page, "/patienter/<id>/ deceased", watch)


@pytest.mark.rule("PDL-1")
def test_patient_page_with_records_of_other_units_passes_axe(
    live_server: LiveServer, page: PwPage, world: World, email_gate: None
) -> None:
    """Another unit's user sees that there is more, and the way to state a relationship."""
    watch = Watch(page)
    Data(world).withdrawal
    verify_emails()
    log_in(page, live_server, world.outsider)
    page.goto(f"{live_server.url}/patienter/{world.patient.pk}/")
    expect(page.locator("#records-elsewhere")).to_be_visible()
    assert_accessible(page, "/patienter/<id>/ records elsewhere", watch)


# --- the error pages (Swedish, in the design system) ------------------------------------


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_the_not_found_page_passes_axe(
    signed_in: Any, live_server: LiveServer, page: PwPage, world: World
) -> None:
    watch = Watch(page)
    if signed_in:
        log_in(page, live_server, world.prescriber)
    response = page.goto(live_server.url + "/finns-inte/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    # Chromium logs the page's own 404 status; anything else is a real error
    watch.errors = [e for e in watch.errors if "status of 404" not in e]
    assert_accessible(page, "/finns-inte/", watch)


def test_the_help_page_passes_axe_without_login(
    live_server: LiveServer, page: PwPage, world: World
) -> None:
    watch = Watch(page)
    response = page.goto(live_server.url + "/hjalp/")
    assert response is not None and response.status == 200
    assert_accessible(page, "/hjalp/ without login", watch)


def test_a_voucher_shown_to_customer_service_passes_axe(
    live_server: LiveServer, page: PwPage, world: World, email_gate: None
) -> None:
    from lmn.vouchers.services import choose_vouchers

    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    voucher = choose_vouchers(rx, actor=world.actor(world.prescriber))
    assert voucher is not None
    watch = Watch(page)
    opened, _ = open_page("kundtjanst/talong/", "", page=page, live_server=live_server, world=world)
    assert opened.status == 200
    page.get_by_label("Talongens kod").fill(voucher.code)
    page.get_by_role("button", name="Visa talongen").click()
    expect(page.locator("#voucher")).to_be_visible()
    assert_accessible(page, "/kundtjanst/talong/ with a voucher shown", watch)
