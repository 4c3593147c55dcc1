"""Issue 5 in a real browser, with axe on every page state (WCAG 2.1 AA, 0 violations):

- a head of unit applies for a new orderer's access, LMN administration approves, the new
  orderer logs in, sees the ward and places a joint order for two residents;
- a prescriber whose e-mail is not verified is held at the verification page until the
  link from the e-mail is opened (CON-3).
"""

from __future__ import annotations

import re

import pytest
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from lmn.accounts.models import User
from lmn.testing import factories as f
from lmn.testing.types import World

from .test_browser import Checker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_HSA = "SE2321000131-E000000777"


def login(
    page: Page, live_server: LiveServer, username: str, password: str = "demo-pass-123"
) -> None:
    page.goto(live_server.url + "/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


@pytest.mark.rule("ACC-1", "SAM-1", "SAM-3", "SAM-4")
def test_head_applies_admin_approves_and_the_new_orderer_joint_orders(
    live_server: LiveServer, page: Page, world: World
) -> None:
    checker = Checker(page)
    ward = world.ward
    ward.delivery_place = "Godsmottagningen, entréplan"
    ward.save()
    names = [("Anna", "Andersson"), ("Bertil", "Berg"), ("Cecilia", "Carlsson")]
    residents = [
        f.make_resident(ward, pnr, first_name=first, last_name=last)
        for pnr, (first, last) in zip(f.PERSONNUMMER[1:4], names, strict=True)
    ]
    for patient in residents:
        f.make_prescription(
            patient=patient,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=world.unit,
            amount=2,
        )
    f.make_prescription(
        patient=residents[0],
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
        amount=1,
    )
    f.make_head(ward, "avdelningschef")
    f.make_admin("lmnadmin")

    # the head of unit applies for a new orderer on the ward
    login(page, live_server, "avdelningschef")
    page.get_by_role("link", name="Ansökningar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ansökningar")
    checker.check("i5-01-applications-empty")
    page.get_by_role("link", name="Ny behörighet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ansök om ny behörighet")
    checker.check("i5-02-access-form")
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Fältet måste fyllas i.")
    checker.check("i5-03-access-form-errors")
    page.get_by_label("Personens HSA-id").fill(NEW_HSA)
    page.get_by_label("Förnamn").fill("Nina")
    page.get_by_label("Efternamn").fill("Nyström")
    page.get_by_label("E-postadress").fill("nina@example.se")
    page.get_by_role("radio", name="Beställare").check()
    page.get_by_role("checkbox", name="Diabetes").check()
    page.get_by_role("checkbox", name="Sambeställning – Särskilt boende").check()
    expect(page.get_by_role("checkbox", name=re.compile(r"\(603001\)"))).to_be_checked()
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.locator("#access-applications")).to_contain_text(NEW_HSA)
    expect(page.locator("#access-applications")).to_contain_text("Inskickad")
    checker.check("i5-04-applications-submitted")
    logout(page)

    # LMN administration approves it
    login(page, live_server, "lmnadmin")
    page.get_by_role("link", name="Behörighetsansökningar").click()
    checker.check("i5-05-admin-queue")
    page.locator("#queue a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_HSA)
    checker.check("i5-06-admin-decision")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Välj bevilja eller avslå.")
    checker.check("i5-07-admin-decision-error")
    page.get_by_role("radio", name="Bevilja").check()
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.locator("#application")).to_contain_text("Beviljad")
    checker.check("i5-08-admin-approved")
    logout(page)

    # the new orderer (SITHS in production; a password set here) sees the ward
    user = User.objects.get(hsa_id=NEW_HSA)
    user.set_password("ny-pass-456")
    user.save()
    login(page, live_server, NEW_HSA, "ny-pass-456")
    expect(page.locator("header")).to_contain_text("Beställare")
    page.get_by_role("link", name="Avdelningen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("603001")
    for patient in residents:
        expect(page.locator("main")).to_contain_text(patient.last_name)
    expect(page.locator("main")).to_contain_text("nutrition beställs för sig")
    checker.check("i5-09-ward")
    page.get_by_role("link", name="Ny sambeställning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sambeställning")
    checker.check("i5-10-joint-order-form")
    first, second = residents[0], residents[1]
    name = re.compile(rf"^Antal Testremsor Glukos .* till {first.first_name} {first.last_name}$")
    page.locator(f"#resident-{first.pk} summary").click()  # each resident unfolds
    page.get_by_label(name).fill("tio")
    page.get_by_role("button", name="Fortsätt till sammanfattning").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Ange antalet som ett heltal.")
    checker.check("i5-11-joint-order-errors")
    page.get_by_label(name).fill("10")
    page.locator(f"#resident-{second.pk} summary").click()
    page.get_by_label(
        re.compile(rf"^Antal Testremsor Glukos .* till {second.first_name} {second.last_name}$")
    ).fill("20")
    page.get_by_role("button", name="Fortsätt till sammanfattning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kontrollera sambeställningen")
    page.get_by_role("button", name="Beställ sambeställningen").click()
    expect(page.locator("#joint-order-number")).to_have_text(re.compile(r"^S\d{8}$"))
    rows = page.locator("#joint-withdrawals tbody tr")
    expect(rows).to_have_count(2)
    for i in range(2):
        expect(rows.nth(i).locator("td").nth(1)).to_have_text(re.compile(r"^U\d{8}$"))
    expect(page.locator("main")).to_contain_text("Godsmottagningen, entréplan")
    checker.check("i5-12-joint-order-placed")


@pytest.mark.rule("CON-3")
def test_a_prescriber_verifies_the_email_before_going_on(
    live_server: LiveServer,
    page: Page,
    world: World,
    email_gate: None,
    mailoutbox: list[EmailMessage],
) -> None:
    checker = Checker(page)
    login(page, live_server, "forskrivare")
    expect(page).to_have_url(re.compile(r"/e-post/bekrafta/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta din e-postadress")
    expect(page.locator("#verification-address")).to_have_text(world.prescriber.email)
    checker.check("i5-20-verify-email-sent")

    # blocked from the rest of the portal until verified
    page.goto(live_server.url + "/min-sida/")
    expect(page).to_have_url(re.compile(r"/e-post/bekrafta/$"))

    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.prescriber.email]
    link = re.search(r"(http://\S+/e-post/verifiera/\?token=\S+)", str(mailoutbox[0].body))
    assert link is not None
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta e-postadress")
    checker.check("i5-21-verify-link")
    page.get_by_role("button", name="Bekräfta e-postadressen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sök patient")
    expect(page.locator("main")).to_contain_text("är bekräftad")
    checker.check("i5-22-verified-home")

    # a forged link is refused in Swedish, also checked by axe
    page.goto(live_server.url + "/e-post/verifiera/?token=forged")
    page.get_by_role("button", name="Bekräfta e-postadressen").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Länken är ogiltig.")
    checker.check("i5-23-verify-link-invalid")
