"""The alarm of a broken audit trail, as LMN administration sees it, checked by axe."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from lmn.audit.integrity import run_audit_jobs
from lmn.audit.services import record
from lmn.audit.tests.tamper import sql
from lmn.core.actor import Actor
from lmn.testing import factories as f
from lmn.testing.types import World

from .test_access_browser import login
from .test_browser import Checker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(LMN_AUDIT_SEAL_KEY="test-key")
def test_admin_sees_the_broken_audit_trail_alarm(
    live_server: LiveServer, page: Page, world: World
) -> None:
    f.make_admin("lmnadmin")
    events = [record("test.read", actor=Actor.system("a")) for _ in range(3)]
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    run_audit_jobs()

    login(page, live_server, "lmnadmin")
    alarm = page.get_by_role("alert")
    expect(alarm).to_contain_text("Granskningsloggen är inte intakt")
    Checker(page).check("audit-alarm")
