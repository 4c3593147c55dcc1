"""The portal pages of issue 12: who opens them, what they show, the CSV, the send."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.accounts.models import User
from lmn.audit.models import AuditEvent
from lmn.core import clock
from lmn.notifications.models import Notification
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f

from .conftest import Orders

APRIL = "?till=2026-04"


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _verified(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lmn.web.middleware.email_gate_closed", lambda actor, *, today: False)


def test_the_head_of_unit_sees_the_dashboard_and_drills_down(orders: Orders) -> None:
    client = as_user(orders.head_a)
    page = client.get("/uppfoljning/" + APRIL).content.decode()
    assert "16,7 %" in page and "Testremsor Glukos" in page
    assert '<svg class="lmn-chart__svg"' in page and 'id="chart-cost-table"' in page
    assert "2305,00" in page  # April: products 1760.00 + fees 545.00

    drill = client.get("/uppfoljning/uttag/" + APRIL + "&figure=emergency").content.decode()
    assert orders.by_name["W2"].number in drill
    assert orders.world.patient.last_name in drill  # the unit's own patient
    assert orders.by_name["W9"].number not in drill  # another unit's
    assert client.get("/uppfoljning/uttag/?figure=bogus").status_code == 404


def test_the_dashboard_exports_csv(orders: Orders) -> None:
    response = as_user(orders.head_a).get("/uppfoljning/" + APRIL + "&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Månad;Produktområde;Uttagsrader;Antal;Kostnad exkl. moms"
    assert "2026-03;Diabetes;3;16;1600,00" in rows


def test_the_payer_starts_on_the_dashboard_and_sees_no_patient(
    orders: Orders, payer_contact: Any
) -> None:
    client = as_user(payer_contact)
    assert client.get("/")["Location"] == "/uppfoljning/"
    drill = client.get("/uppfoljning/uttag/" + APRIL + "&figure=express").content.decode()
    assert orders.by_name["W3"].number in drill
    assert orders.world.patient.last_name not in drill


def test_administration_statistics_and_csv(orders: Orders) -> None:
    client = as_user(f.make_admin())
    page = client.get("/administration/statistik/" + APRIL).content.decode()
    assert "604500" in page and "2 av 4" in page
    rows = client.get("/administration/statistik/" + APRIL + "&format=csv").content
    assert "2026-03;604500;" in rows.decode("utf-8-sig")
    assert client.get("/administration/statistik/?till=nonsense").status_code == 200


def test_administration_sends_the_impact_lists_and_the_unit_opens_its_list(
    orders: Orders,
) -> None:
    world = orders.world
    x, y = world.diabetes_product, f.make_product("diabetes", name="Testremsor Ny")
    x.replaced_by = y
    x.save()
    User.objects.filter(pk=world.prescriber.pk).update(
        email_verified_at=clock.now(), email_verified_address=world.prescriber.email
    )
    admin = as_user(f.make_admin())
    assert "Testremsor Glukos" in admin.get("/administration/sortimentsbyten/").content.decode()

    response = admin.post(f"/administration/sortimentsbyten/{x.pk}/")
    assert response.status_code == 302
    mail = Notification.objects.get(recipient=world.prescriber.email)
    assert "/sortimentsbyten/" in mail.body and world.patient.last_name not in mail.body

    page = as_user(world.prescriber).get("/sortimentsbyten/").content.decode()
    assert world.patient.last_name in page and "Att ändra" in page
    assert AuditEvent.objects.filter(action="reporting.impact.read").exists()
    assert Prescription.objects.filter(product=x).exists()
