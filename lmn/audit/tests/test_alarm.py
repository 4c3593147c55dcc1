"""A broken audit trail raises an alarm in the portal, for LMN administration only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from lmn.audit.integrity import run_audit_jobs
from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.testing import factories as f
from lmn.testing.types import World

from .tamper import sql

ALARM = "Granskningsloggen är inte intakt"


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr("lmn.web.middleware.email_gate_closed", lambda actor, *, today: False)
    with override_settings(LMN_AUDIT_SEAL_KEY="test-key"):
        yield


def page_for(client: Client, user: Any) -> str:
    client.force_login(user)
    return client.get(reverse("web:access_queue"), follow=True).content.decode()


def test_admin_sees_the_alarm_only_while_the_latest_verification_failed(
    db: None, client: Client
) -> None:
    admin = f.make_admin("lmnadmin")
    events = [record("test.read", actor=Actor.system("a")) for _ in range(3)]
    run_audit_jobs()
    assert ALARM not in page_for(client, admin)

    sql("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [events[1].id])
    run_audit_jobs()
    page = page_for(client, admin)
    assert ALARM in page
    assert "altered" not in page and "chain" not in page  # no internal words

    sql("UPDATE audit_auditevent SET action = 'test.read' WHERE id = %s", [events[1].id])
    run_audit_jobs()
    assert ALARM not in page_for(client, admin)


def test_other_roles_see_no_alarm(world: World, client: Client) -> None:
    events = [record("test.read", actor=Actor.system("a")) for _ in range(2)]
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[0].id])
    run_audit_jobs()
    assert ALARM not in page_for(client, world.prescriber)
