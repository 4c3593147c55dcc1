"""Browser journeys in Chromium at 390 px and on the desktop, with axe on every e-service
page in Swedish and English: a patient logs in, sees when each product can be ordered,
orders to a pickup point and follows the timeline; a relative with a power of attorney
does the same (GEN-4, EPAT-1, EPAT-2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from lmn.core import clock
from lmn.representation.models import Guardianship
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.web.tests.axe_support import Watch, assert_accessible
from lmn.withdrawals.models import Withdrawal

from .conftest import PROXY_PNR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
EN_PAGES = (
    "produkter/",
    "bestall/",
    "bestallningar/",
    "fullmakter/",
    "vem-har-gjort-vad/",
    "api-nyckel/",
)
WIDTHS = {"mobile": (390, 844), "desktop": (1280, 900)}


@pytest.fixture(scope="module")
def es_browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def _page(browser: Browser, width: str) -> Page:
    w, h = WIDTHS[width]
    context = browser.new_context(locale="sv-SE", viewport={"width": w, "height": h})
    page = context.new_page()
    page.set_default_timeout(30_000)  # the shared CI machine can be slow
    return page


def _world(world: World) -> World:
    f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
        valid_until=clock.today() + dt.timedelta(days=20),
    )
    f.make_pickup_point(opening_hours="Alla dagar 8–22")
    # the relative is also the guardian of a child, so they choose whom to act for
    child = f.make_child()
    Guardianship.objects.create(
        child_identifier=child.identifier, guardian_identifier=PROXY_PNR, guardian_name="Rut"
    )
    return world


def _order_to_pickup_point(page: Page, watch: Watch, name: str, skip: int = 0) -> None:
    """Order to the pickup point; by ids and form names, so it runs in either language."""
    page.locator("a.lmn-nav__link[href$='/e-tjanst/bestall/']").click()
    assert_accessible(page, f"{name}: order form", watch)
    if skip:
        page.locator(f"#id_qty_{skip}").fill("0")
    page.locator("#id_destination_1").check()
    page.locator("#id_pickup_point").select_option("PN-41301")
    page.locator("#id_phone").fill("0701234567")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("input[name=step][value=confirm]")).to_have_count(1)
    assert_accessible(page, f"{name}: confirm", watch)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".es-timeline li")).to_have_count(1)
    expect(page.locator(".es-point")).to_contain_text("ICA Nära Linné")
    expect(page.locator(".es-point")).to_contain_text("8–22")  # its opening hours
    assert_accessible(page, f"{name}: order", watch)


@pytest.mark.rule("GEN-4")
@pytest.mark.rule("EPAT-1")
@pytest.mark.rule("EPAT-2")
@pytest.mark.parametrize("width", list(WIDTHS))
def test_patient_and_proxy_journeys(
    es_browser: Browser, live_server: LiveServer, world: World, width: str
) -> None:
    _world(world)
    page = _page(es_browser, width)
    watch = Watch(page)
    page.goto(live_server.url + "/e-tjanst/")
    assert_accessible(page, "login", watch)
    page.get_by_role("button", name="Logga in som Tolvan Tolvansson").click()
    expect(page.locator(".es-when").first).to_contain_text("Du kan beställa nu")
    expect(page.locator(".es-contact").first).to_contain_text("Vårdcentralen Hjärtat")
    assert_accessible(page, "products", watch)
    nutrition = world.patient.prescriptions.get(product=world.nutrition_product)
    _order_to_pickup_point(page, watch, "patient", skip=nutrition.pk)
    number = Withdrawal.objects.get().number
    page.get_by_role("link", name="Ändra leveransen").click()
    expect(page.locator("#id_pickup_point")).to_have_value("PN-41301")
    assert_accessible(page, "change", watch)
    page.get_by_role("link", name="Mina beställningar").first.click()
    assert_accessible(page, "orders", watch)
    page.get_by_role("link", name="Mina produkter").first.click()
    expect(page.locator(".es-when").first).to_contain_text("Du kan beställa nu")
    expect(page.locator(".es-when").nth(1)).to_contain_text("Du kan beställa igen från")
    # the patient gives a relative a power of attorney
    page.get_by_role("link", name="Fullmakter").first.click()
    assert_accessible(page, "powers", watch)
    page.get_by_role("button", name="Ge fullmakten").click()
    assert_accessible(page, "powers with errors", watch)
    page.get_by_label("Ombudets personnummer").fill("19760808-0813")
    page.get_by_label("Ombudets namn").fill("Rut Relativ")
    page.get_by_label("Se mina produkter och beställa åt mig").check()
    until = clock.today() + dt.timedelta(days=60)
    page.get_by_label("Gäller till och med").fill(until.isoformat())
    page.get_by_role("button", name="Ge fullmakten").click()
    expect(page.locator(".es-power")).to_contain_text("Rut Relativ")
    # the same pages in English
    page.get_by_role("button", name="In English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for path in (*EN_PAGES, f"bestallningar/{number}/", f"bestallningar/{number}/andra/"):
        page.goto(live_server.url + "/e-tjanst/" + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert_accessible(page, f"en {path}", watch)
    page.get_by_role("button", name="På svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.context.close()

    # the relative logs in, in English, chooses the patient, and orders the other product
    proxy = _page(es_browser, width)
    proxy.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    watch = Watch(proxy)
    proxy.goto(live_server.url + "/e-tjanst/")
    expect(proxy.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(proxy, "en login", watch)
    proxy.locator("#id_identifier").fill(PROXY_PNR)
    proxy.locator("form[novalidate] button[type=submit]").click()
    expect(proxy.locator("button[name=patient]")).to_have_count(2)  # Tolvan, and the child
    assert_accessible(proxy, "en choose", watch)
    proxy.locator("button[name=patient]", has_text="Tolvan Tolvansson").click()
    expect(proxy.locator(".es-acting")).to_contain_text("Tolvan Tolvansson")
    _order_to_pickup_point(proxy, watch, "en proxy")
    proxy.locator("button[name=language]").click()
    expect(proxy.locator("html")).to_have_attribute("lang", "sv")
    proxy.goto(live_server.url + "/e-tjanst/valj/")
    assert_accessible(proxy, "choose", watch)
    assert Withdrawal.objects.filter(ordered_by_role="ombud").count() == 1
    proxy.context.close()

    # the patient sees what the relative did
    page = _page(es_browser, width)
    watch = Watch(page)
    page.goto(live_server.url + "/e-tjanst/")
    page.get_by_role("button", name="Logga in som Tolvan Tolvansson").click()
    page.get_by_role("link", name="Vem har gjort vad").first.click()
    expect(page.locator(".es-activity").first).to_contain_text("Rut Relativ")
    assert_accessible(page, "activity", watch)
    page.context.close()


def test_refusal_page_is_accessible(
    es_browser: Browser, live_server: LiveServer, world: World
) -> None:
    f.make_patient(f.PERSONNUMMER[4], protected=True, protected_unit=world.unit)
    page = _page(es_browser, "mobile")
    watch = Watch(page)
    for language in ("sv", "en"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page.goto(live_server.url + "/e-tjanst/")
        page.locator("#id_identifier").fill(f.PERSONNUMMER[4])
        page.locator("form[novalidate] button[type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        # the refusal is a 403 page, which the console reports; the page is what we judge
        watch.errors = [e for e in watch.errors if "status of 403" not in e]
        assert_accessible(page, f"refused {language}", watch)
    page.context.close()
