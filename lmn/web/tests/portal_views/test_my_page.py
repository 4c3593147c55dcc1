"""Min sida: contact details and the overview of withdrawals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal

from .helpers import _html, _order, _prescription


def test_my_page_shows_contact_details(client_for: ClientFor, world: World) -> None:
    html = _html(client_for(world.prescriber).get(reverse("web:my_page")))
    assert world.prescriber.hsa_id in html
    assert world.prescriber.email in html
    assert "031-123 45 67" in html


@pytest.mark.rule("SKYDD-10")
def test_my_page_overview_shows_products_of_a_withdrawal(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    client = client_for(world.prescriber)
    _order(client, world, p)
    number = Withdrawal.objects.get().number
    html = _html(client.get(reverse("web:my_page"), {"number": number.lower()}))
    assert f"Uttag {number}" in html
    assert "Testremsor Glukos" in html
    assert "Tolvan" not in html  # products only, no identity


def test_my_page_overview_bad_number_and_not_found(client_for: ClientFor, world: World) -> None:
    client = client_for(world.prescriber)
    html = _html(client.get(reverse("web:my_page"), {"number": "12345"}))
    assert "Uttagsnumret ska vara U följt av åtta siffror" in html
    html = _html(client.get(reverse("web:my_page"), {"number": "U99999999"}))
    assert "Inget uttag med numret U99999999 hittades" in html


def test_my_page_overview_does_not_find_other_units_withdrawals(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    _order(client_for(world.prescriber), world, p)
    number = Withdrawal.objects.get().number
    html = _html(client_for(world.outsider).get(reverse("web:my_page"), {"number": number}))
    assert "hittades" in html
    assert "Testremsor Glukos" not in html
