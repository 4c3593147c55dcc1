"""The demo ward's joint order in a real browser: short, only what can be ordered, and a
summary to confirm before anything is placed (SAM-1, SAM-3)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from lmn.accounts.models import User
from lmn.demo.world import build_world
from lmn.organisations.models import PrescribingUnit
from lmn.patients.models import Patient
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.web.tests.axe_support import log_in, verify_emails
from lmn.web.tests.test_browser import Checker
from lmn.withdrawals.joint import JOINT_EXCLUDED_AREAS
from lmn.withdrawals.models import JointOrder
from lmn.withdrawals.queries import entitlements_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _joint_prescriptions(ward: PrescribingUnit) -> tuple[int, int]:
    """(all prescriptions a joint order may hold, those with something to withdraw now)."""
    rows = list(
        Prescription.objects.filter(
            patient__in=Patient.objects.filter(care_home_unit=ward), status="active"
        )
        .exclude(product__area__code__in=JOINT_EXCLUDED_AREAS)
        .select_related("product")
    )
    now = entitlements_for(rows)
    return len(rows), sum(1 for rx in rows if now[rx.pk].withdrawable_now > 0)


@pytest.mark.rule("SAM-1", "SAM-3")
def test_the_demo_ward_orders_only_what_it_can_after_a_summary(
    live_server: LiveServer, page: Page
) -> None:
    for code in f.ALL_AREAS:  # the migration's areas, gone if a transactional test flushed
        f.area(code)
    build_world(patients=300)
    ward = PrescribingUnit.objects.get(customer_number="603001")
    joint_allowed, orderable_now = _joint_prescriptions(ward)
    assert orderable_now < joint_allowed  # the demo ward has items that must wait
    verify_emails()
    log_in(page, live_server, User.objects.get(username="bestallare"))
    checker = Checker(page)

    page.goto(live_server.url + "/avdelning/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("603001")
    assert page.evaluate("document.documentElement.scrollHeight") < 2500
    checker.check("ward-overview")

    page.get_by_role("link", name="Ny sambeställning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sambeställning")
    inputs = page.locator("main input[name^='qty_']")
    assert inputs.count() == orderable_now  # no field for what cannot be ordered now
    assert page.evaluate("document.documentElement.scrollHeight") < 2500
    expect(page.locator("main")).to_contain_text("kan beställas från")
    checker.check("ward-joint-form")

    # two residents, one product each
    residents = page.locator("details.lmn-resident-details")
    chosen = []
    for i in range(2):
        resident = residents.nth(i)
        resident.locator("summary").click()
        field = resident.locator("input[name^='qty_']").first
        field.fill("1")
        chosen.append(resident.locator("summary").inner_text().split(" (")[0].strip())
    page.get_by_label("Kontaktperson på avdelningen (valfritt)").fill("Sjuksköterska Eva")
    page.get_by_role("button", name="Fortsätt till sammanfattning").click()

    # the summary: to whom, where, when, fees; nothing placed yet
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Kontrollera sambeställningen")
    )
    for name in chosen:
        expect(page.locator("#joint-residents")).to_contain_text(name)
    expect(page.locator("#joint-delivery")).to_contain_text(ward.delivery_place)
    expect(page.locator("#joint-delivery")).to_contain_text("dagtid 08.00–16.00")
    expect(page.locator("#joint-date")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(page.locator("#joint-fees")).to_contain_text("Inga extra kostnader")
    assert not JointOrder.objects.exists()
    checker.check("ward-joint-summary")

    # "Ändra" keeps what was entered; then confirm
    page.get_by_role("button", name="Ändra").click()
    expect(page.locator("main input[name^='qty_'][value='1']")).to_have_count(2)
    page.get_by_role("button", name="Fortsätt till sammanfattning").click()
    page.get_by_role("button", name="Beställ sambeställningen").click()
    expect(page.locator("#joint-order-number")).to_have_text(re.compile(r"^S\d{8}$"))
    expect(page.locator("#joint-withdrawals tbody tr")).to_have_count(2)
    assert JointOrder.objects.get().withdrawals.count() == 2
    checker.check("ward-joint-placed")
