"""Issue 12 in Debian's Chromium, with axe: the head of unit drills down to the unit's
own patients; the payer's contact follows a month to its withdrawals; LMN
administration sends an assortment change's lists (and is told when there is nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page as PwPage
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from lmn.core import clock
from lmn.notifications.models import Notification
from lmn.testing import factories as f
from lmn.testing.types import World

from .axe_support import Data, Watch, assert_accessible, log_in, verify_emails

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _open(page: PwPage, live_server: LiveServer, user: object, url: str) -> None:
    verify_emails()
    log_in(page, live_server, user)
    page.goto(live_server.url + url)


@pytest.mark.rule("SKYDD-1")
def test_the_head_of_unit_drills_down_to_the_units_own_patients(
    live_server: LiveServer, page: PwPage, world: World
) -> None:
    data = Data(world)
    withdrawal = data.withdrawal
    watch = Watch(page)
    _open(page, live_server, f.make_head(world.unit, "chefen"), "/uppfoljning/")
    page.get_by_role("link", name=f"{clock.today():%Y-%m}", exact=True).click()

    expect(page.get_by_role("cell", name=withdrawal.number)).to_be_visible()
    expect(page.get_by_text(world.patient.last_name)).to_be_visible()
    assert_accessible(page, "drill-down with the unit's patient", watch)


def test_the_payer_follows_a_figure_to_its_withdrawals(
    live_server: LiveServer, page: PwPage, world: World
) -> None:
    data = Data(world)
    withdrawal = data.withdrawal
    watch = Watch(page)
    _open(page, live_server, data.payer, "/")  # the payer's start is the dashboard
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljning")
    page.get_by_role("link", name=f"{clock.today():%Y-%m}", exact=True).click()

    expect(page.get_by_role("cell", name=withdrawal.number)).to_be_visible()
    expect(page.get_by_text(world.patient.last_name)).to_have_count(0)
    assert_accessible(page, "the payer's drill-down", watch)


def test_administration_sends_the_lists_and_is_told_when_there_is_nothing(
    live_server: LiveServer, page: PwPage, world: World
) -> None:
    data = Data(world)
    article = data.changed_article
    unused = f.make_product("diabetes", name="Lansett Oanvänd")
    unused.end_date = clock.today() + dt.timedelta(days=10)
    unused.save(update_fields=["end_date"])
    watch = Watch(page)
    _open(page, live_server, data.admin, "/administration/sortimentsbyten/")
    page.get_by_role("link", name=f"{article.article_number} {article.name}").click()
    page.get_by_role("button", name="Skicka listorna till enheterna").click()

    expect(page.get_by_role("status")).to_contain_text("1 enhet")
    assert Notification.objects.filter(object_type="reporting.impactnotice").exists()
    assert_accessible(page, "an assortment change sent", watch)

    page.goto(live_server.url + f"/administration/sortimentsbyten/{unused.pk}/")
    page.get_by_role("button", name="Skicka listorna till enheterna").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Ingen aktiv förskrivning")
    assert_accessible(page, "an assortment change with nothing to send", watch)
