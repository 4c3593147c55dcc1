"""Unit applications in the portal: a new unit gets its customer number (ACC-4, UNIT-3)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lmn.organisations.models import PrescribingUnit, UnitApplication
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World

from .helpers import _html, _unit_form


@pytest.mark.rule("ACC-4", "UNIT-3")
def test_head_applies_for_a_unit_and_admin_approval_shows_the_customer_number(
    client: Client, client_for: ClientFor, world: World, head: Any, admin_user: Any
) -> None:
    response = client_for(head).post(reverse("web:apply_unit"), _unit_form())
    assert response.status_code == 302
    application = UnitApplication.objects.get()
    assert application.payers.count() == len(f.ALL_AREAS)
    client.logout()
    admin = client_for(admin_user)
    assert "Solgården avd 3" in _html(admin.get(reverse("web:unit_queue")))
    url = reverse("web:unit_decision", args=[application.pk])
    response = admin.post(url, {"decision": "approve"}, follow=True)
    number = PrescribingUnit.objects.get(name="Solgården avd 3").customer_number
    assert re.fullmatch(r"\d{6}", number)
    assert f"Kundnummer: {number}" in _html(response)
    assert 'id="customer-number">' + number in _html(response)


@pytest.mark.rule("UNIT-3")
def test_a_unit_application_without_payer_and_bad_postcode_creates_nothing(
    client_for: ClientFor, world: World, head: Any
) -> None:
    response = client_for(head).post(
        reverse("web:apply_unit"), _unit_form(**{"postcode": "12", "stoma-name": ""})
    )
    html = _html(response)
    assert "Fältet måste fyllas i." in html
    assert not UnitApplication.objects.exists()
    response = client_for(head).post(reverse("web:apply_unit"), _unit_form(postcode="12"))
    assert "svenskt postnummer" in _html(response)
    assert not UnitApplication.objects.exists()
