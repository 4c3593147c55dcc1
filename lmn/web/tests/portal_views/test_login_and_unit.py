"""The portal's login, logout and the choice of acting unit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lmn.accounts.models import Membership
from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.web.acting import SESSION_KEY

from .helpers import _html


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("web:home", {}),
        ("web:my_page", {}),
        ("web:choose_unit", {}),
        ("web:patient", {"patient_id": 1}),
        ("web:new_prescription", {"patient_id": 1}),
        ("web:new_withdrawal", {"patient_id": 1}),
        ("web:withdrawal", {"number": "U13200001"}),
    ],
)
def test_every_page_but_login_needs_login(client: Client, db: None, name: Any, kwargs: Any) -> None:
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_login_page_is_swedish_and_public(client: Client, db: None) -> None:
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    assert '<html lang="sv">' in _html(response)
    assert "Logga in" in _html(response)


def test_login_with_right_password_rotates_session_and_audits(client: Client, world: World) -> None:
    client.get(reverse("web:login"))
    before = client.session.session_key
    response = client.post(
        reverse("web:login"), {"username": "forskrivare", "password": "demo-pass-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.session.session_key != before
    event = AuditEvent.objects.get(action="accounts.login.succeeded")
    assert event.actor_hsa_id == world.prescriber.hsa_id
    assert "demo-pass-123" not in str(event.data)


def test_login_with_wrong_password_shows_swedish_error_and_audits(
    client: Client, world: World
) -> None:
    response = client.post(reverse("web:login"), {"username": "forskrivare", "password": "fel"})
    assert response.status_code == 200
    html = _html(response)
    assert "Fel användarnamn eller lösenord." in html
    assert "nhsuk-error-summary" in html
    assert "<title>Fel: Logga in" in html
    event = AuditEvent.objects.get(action="accounts.login.failed")
    assert event.outcome == "denied"
    assert "fel" not in str(event.data.values()).replace("forskrivare", "")


def test_login_with_empty_fields_shows_field_errors(client: Client, db: None) -> None:
    response = client.post(reverse("web:login"), {"username": "", "password": ""})
    html = _html(response)
    assert "Ange ditt användarnamn." in html
    assert 'href="#id_username"' in html
    assert 'href="#id_password"' in html


def test_login_follows_a_local_next_but_not_an_external_one(client: Client, world: World) -> None:
    data = {"username": "forskrivare", "password": "demo-pass-123"}
    response = client.post(reverse("web:login"), {**data, "next": "/min-sida/"})
    assert response["Location"] == "/min-sida/"
    client.logout()
    response = client.post(reverse("web:login"), {**data, "next": "https://evil.example/"})
    assert response["Location"] == reverse("web:home")


def test_one_membership_is_chosen_automatically(client_for: ClientFor, world: World) -> None:
    client = client_for(world.prescriber)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    html = _html(response)
    assert "Vårdcentralen Hjärtat (602154)" in html
    assert "Förskrivare" in html
    assert "Byt enhet" not in html


def test_several_memberships_must_choose_a_unit(client_for: ClientFor, world: World) -> None:
    f.add_membership(world.prescriber, unit=world.ward, role=Role.ORDERER)
    client = client_for(world.prescriber)
    response = client.get(reverse("web:my_page"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:choose_unit"))

    page = client.get(response["Location"])
    assert "Välj enhet" in _html(page)
    assert "Solgårdens särskilda boende (603001)" in _html(page)

    ward_membership = Membership.objects.get(user=world.prescriber, unit=world.ward)
    response = client.post(
        reverse("web:choose_unit"), {"membership": ward_membership.pk, "next": "/min-sida/"}
    )
    assert response["Location"] == "/min-sida/"
    assert client.session[SESSION_KEY] == ward_membership.pk
    html = _html(client.get(reverse("web:home")))
    assert "Solgårdens särskilda boende (603001)" in html
    assert "Beställare" in html
    assert "Byt enhet" in html


def test_choosing_a_membership_of_someone_else_is_refused(
    client_for: ClientFor, world: World
) -> None:
    f.add_membership(world.prescriber, unit=world.ward, role=Role.ORDERER)
    client = client_for(world.prescriber)
    others = Membership.objects.get(user=world.outsider)
    response = client.post(reverse("web:choose_unit"), {"membership": others.pk})
    assert response.status_code == 200
    assert "Välj en av dina enheter." in _html(response)
    assert SESSION_KEY not in client.session


def test_choose_unit_without_choice_shows_error(client_for: ClientFor, world: World) -> None:
    f.add_membership(world.prescriber, unit=world.ward, role=Role.ORDERER)
    response = client_for(world.prescriber).post(reverse("web:choose_unit"), {})
    assert "Välj den enhet och roll du vill arbeta i." in _html(response)
    assert 'href="#id_membership_0"' in _html(response)


def test_user_without_membership_gets_no_access_page(client_for: ClientFor, world: World) -> None:
    Membership.objects.filter(user=world.prescriber).update(active=False)
    response = client_for(world.prescriber).get(reverse("web:home"))
    assert response.status_code == 403
    assert "Du saknar behörighet i LMN" in _html(response)


def test_logout_is_post_only(client_for: ClientFor, world: World) -> None:
    client = client_for(world.prescriber)
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response["Location"] == reverse("web:login")
    assert client.get(reverse("web:home")).status_code == 302
