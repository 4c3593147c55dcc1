"""The portal's new-withdrawal form and the withdrawal page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal

from .helpers import _html, _order, _prescription


def test_withdrawal_form_defaults_to_patient_address(client_for: ClientFor, world: World) -> None:
    p = _prescription(world)
    response = client_for(world.prescriber).get(
        reverse("web:new_withdrawal", args=[world.patient.pk])
    )
    html = _html(response)
    assert 'value="Storgatan 1"' in html
    assert "90 st" in html
    assert f'name="qty_{p.pk}"' in html
    assert 'name="idempotency_key"' in html
    assert "Utlämningsställe" in html


@pytest.mark.rule("GEN-5")
def test_placing_a_withdrawal_redirects_to_it(client_for: ClientFor, world: World) -> None:
    p = _prescription(world)
    client = client_for(world.prescriber)
    response = _order(client, world, p, door_code="9876", care_of="Anna")
    withdrawal = Withdrawal.objects.get()
    assert response["Location"] == reverse("web:withdrawal", args=[withdrawal.number])
    assert withdrawal.door_code == "9876"
    html = _html(client.get(response["Location"]))
    assert withdrawal.number in html
    assert "Uttaget är beställt" in html
    assert "30 st" in html
    assert "c/o Anna" in html
    assert "9876" not in html  # the door code is not shown back
    assert AuditEvent.objects.filter(action="withdrawals.withdrawal.read").exists()


def test_double_submit_places_one_withdrawal(client_for: ClientFor, world: World) -> None:
    p = _prescription(world)
    client = client_for(world.prescriber)
    first = _order(client, world, p)
    second = _order(client, world, p)
    assert Withdrawal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_withdrawal_with_bad_input_shows_errors_and_creates_nothing(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    response = _order(
        client_for(world.prescriber),
        world,
        p,
        postcode="123",
        phone="12",
        **{f"qty_{p.pk}": "1000"},
    )
    html = _html(response)
    assert "Ange ett svenskt postnummer med fem siffror" in html
    assert 'href="#id_postcode"' in html
    assert "Ange ett giltigt svenskt telefonnummer" in html
    assert not Withdrawal.objects.exists()


def test_withdrawal_over_entitlement_is_refused_on_the_quantity(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    response = _order(client_for(world.prescriber), world, p, **{f"qty_{p.pk}": "1000"})
    html = _html(response)
    assert "Högst 90 st kan tas ut nu" in html
    assert f'href="#id_qty_{p.pk}"' in html
    assert not Withdrawal.objects.exists()


def test_withdrawal_without_quantities_asks_for_one(client_for: ClientFor, world: World) -> None:
    p = _prescription(world)
    response = _order(client_for(world.prescriber), world, p, **{f"qty_{p.pk}": ""})
    assert "Välj minst en produkt att beställa." in _html(response)
    assert not Withdrawal.objects.exists()


def test_withdrawal_of_another_units_protected_patient_is_404(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    client = client_for(world.prescriber)
    _order(client, world, p)
    number = Withdrawal.objects.get().number
    world.patient.protected = True
    world.patient.protected_unit = world.other_unit
    world.patient.save()
    assert client.get(reverse("web:withdrawal", args=[number])).status_code == 404
    assert client.get(reverse("web:withdrawal", args=["U99999999"])).status_code == 404
