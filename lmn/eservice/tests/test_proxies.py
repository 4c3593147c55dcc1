"""Proxies and guardians act for the patient, audited with both identities and shown to the
patient; an expired or revoked power, or a child turned 18, ends it at once (EPAT-2)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lmn.audit.models import AuditEvent
from lmn.core import clock
from lmn.core.actor import Role
from lmn.core.errors import PermissionDenied
from lmn.representation.models import Guardianship, PowerOfAttorney
from lmn.representation.queries import actor_for, represented_by
from lmn.representation.services import PowerDraft, grant_power
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal

from .conftest import PROXY_PNR, choose, log_in
from .test_ordering import _order_form, _post

pytestmark = pytest.mark.django_db


def _grant(world: World, scope: str = "order", days: int = 30) -> PowerOfAttorney:
    client = log_in(world.patient.identifier)
    response = client.post(
        "/e-tjanst/fullmakter/",
        {
            "holder_identifier": "19760808-0813",
            "holder_name": "Rut Relativ",
            "scope": scope,
            "valid_until": (clock.today() + dt.timedelta(days=days)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    return PowerOfAttorney.objects.get()


@pytest.mark.rule("EPAT-2")
@pytest.mark.rule("GEN-4")
def test_a_relative_with_a_power_orders_and_the_patient_sees_who_did_what(
    es_world: World,
) -> None:
    _grant(es_world)
    proxy = log_in(PROXY_PNR)
    choose(proxy, es_world.patient)
    assert "Testremsor Glukos" in proxy.get("/e-tjanst/produkter/").content.decode()
    form = _order_form(proxy)
    _post(proxy, form, "confirm")
    w = Withdrawal.objects.get()
    assert w.ordered_by_role == Role.PROXY
    placed = AuditEvent.objects.get(action="withdrawals.withdrawal.placed")
    assert (placed.actor_hsa_id, placed.patient_id) == (f"person:{PROXY_PNR}", es_world.patient.pk)
    assert proxy.get("/e-tjanst/fullmakter/").status_code == 403  # only the patient grants
    patient = log_in(es_world.patient.identifier)
    shown = patient.get("/e-tjanst/vem-har-gjort-vad/").content.decode()
    assert "Rut Relativ" in shown and "Beställde" in shown
    detail = patient.get(f"/e-tjanst/bestallningar/{w.number}/").content.decode()
    assert "Ombud för patienten" in detail


@pytest.mark.rule("EPAT-2")
def test_a_view_only_power_may_not_order(es_world: World) -> None:
    _grant(es_world, scope="view")
    proxy = log_in(PROXY_PNR)
    choose(proxy, es_world.patient)
    assert proxy.get("/e-tjanst/produkter/").status_code == 200
    assert proxy.get("/e-tjanst/bestall/").status_code == 403
    assert AuditEvent.objects.filter(action="authz.denied").exists()


@pytest.mark.rule("EPAT-2")
def test_a_revoked_power_ends_at_the_next_click(es_world: World) -> None:
    power = _grant(es_world)
    proxy = log_in(PROXY_PNR)
    choose(proxy, es_world.patient)
    assert proxy.get("/e-tjanst/produkter/").status_code == 200
    patient = log_in(es_world.patient.identifier)
    assert patient.post(f"/e-tjanst/fullmakter/{power.pk}/aterkalla/").status_code == 302
    after = proxy.get("/e-tjanst/produkter/")
    assert after.status_code == 302 and after["Location"] == "/e-tjanst/valj/"
    assert proxy.get("/e-tjanst/valj/").status_code == 403
    assert AuditEvent.objects.filter(action="representation.power.revoked").count() == 1


@pytest.mark.rule("EPAT-2")
def test_an_expired_power_gives_nothing(es_world: World) -> None:
    _grant(es_world, days=10)
    with time_machine.travel(clock.now() + dt.timedelta(days=11)):
        assert represented_by(PROXY_PNR) == []
        proxy = log_in(PROXY_PNR)
        assert proxy.get("/e-tjanst/valj/").status_code == 403


@pytest.mark.rule("EPAT-2")
def test_a_guardian_acts_for_a_child_until_18(es_world: World) -> None:
    child = f.make_child()
    Guardianship.objects.create(
        child_identifier=child.identifier, guardian_identifier=PROXY_PNR, guardian_name="Rut"
    )
    actor = actor_for(PROXY_PNR, child.pk)
    assert (actor.role, actor.acting_for) == (Role.PROXY, child)
    eighteen = dt.datetime(2033, 3, 15, 12, tzinfo=dt.UTC)
    with time_machine.travel(eighteen):
        assert represented_by(PROXY_PNR) == []


@pytest.mark.rule("EPAT-2")
def test_only_the_patient_or_customer_service_grants(es_world: World) -> None:
    draft = PowerDraft(PROXY_PNR, "Rut Relativ", "order", clock.today() + dt.timedelta(days=5))
    cs = es_world.actor(es_world.customer_service)
    paper = grant_power(es_world.patient, draft, actor=cs)
    assert paper.source == "paper"
    proxy = actor_for(PROXY_PNR, es_world.patient.pk)
    with pytest.raises(PermissionDenied):
        grant_power(es_world.patient, draft, actor=proxy)


@pytest.mark.rule("EPAT-2")
def test_customer_service_registers_a_paper_power(es_world: World) -> None:
    from django.test import Client

    client = Client()
    client.force_login(es_world.customer_service)
    response = client.post(
        "/kundtjanst/fullmakter/",
        {
            "patient_identifier": es_world.patient.identifier,
            "holder_identifier": PROXY_PNR,
            "holder_name": "Rut Relativ",
            "scope": "view",
            "valid_until": (clock.today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    power = PowerOfAttorney.objects.get()
    assert (power.source, power.scope) == ("paper", "view")
    assert actor_for(PROXY_PNR, es_world.patient.pk).role == Role.PROXY_VIEWER
    bad = client.post("/kundtjanst/fullmakter/", {"patient_identifier": "1"})
    assert bad.status_code == 200 and "nhsuk-error-message" in bad.content.decode()
