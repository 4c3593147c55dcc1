"""The special-housing ward pages and joint orders (SAM-1..SAM-4, AKUT-7)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import JointOrder, Withdrawal

from .helpers import _html, _rx


@pytest.mark.rule("SAM-1")
def test_the_ward_page_lists_residents_with_what_each_may_withdraw(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    _rx(world, residents[0])
    html = _html(client_for(world.orderer).get(reverse("web:ward")))
    for p in residents:
        assert p.last_name in html
    assert "Testremsor Glukos" in html
    assert "Ny sambeställning" in html


def test_the_ward_page_needs_an_ordering_role(
    client_for: ClientFor, world: World, head: Any
) -> None:
    assert client_for(head).get(reverse("web:ward")).status_code == 403


def test_customer_service_has_no_ward_and_gets_404(client_for: ClientFor, world: World) -> None:
    assert client_for(world.customer_service).get(reverse("web:ward")).status_code == 404


@pytest.mark.rule("SAM-1", "SAM-3", "GEN-1")
def test_a_joint_order_for_two_residents_shows_each_withdrawal_number(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a, b = _rx(world, residents[0]), _rx(world, residents[1])
    client = client_for(world.orderer)
    assert client.get(reverse("web:new_joint_order")).status_code == 200
    data = {f"qty_{a.pk}": "10", f"qty_{b.pk}": "20", "speed": "standard"}
    # first the summary to confirm: nothing is placed yet
    summary = client.post(reverse("web:new_joint_order"), data)
    assert "Kontrollera sambeställningen" in _html(summary)
    assert not JointOrder.objects.exists()
    response = client.post(reverse("web:new_joint_order"), {**data, "action": "place"})
    assert response.status_code == 302
    order = JointOrder.objects.get()
    assert response["Location"] == reverse("web:joint_order", args=[order.number])
    html = _html(client.get(response["Location"]))
    assert order.number in html
    for w in order.withdrawals.all():
        assert w.number in html
    assert "Godsmottagningen, entréplan" in html


@pytest.mark.rule("SAM-1")
def test_submitting_the_confirmation_page_twice_places_one_joint_order(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a, b = _rx(world, residents[0]), _rx(world, residents[1])
    client = client_for(world.orderer)
    data = {f"qty_{a.pk}": "10", f"qty_{b.pk}": "20", "speed": "standard"}
    summary = _html(client.post(reverse("web:new_joint_order"), data))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', summary)
    assert key is not None  # the confirmation page carries its own key
    confirmed = {**data, "idempotency_key": key.group(1), "action": "place"}

    first = client.post(reverse("web:new_joint_order"), confirmed)
    again = client.post(reverse("web:new_joint_order"), confirmed)

    order = JointOrder.objects.get()
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == reverse("web:joint_order", args=[order.number])
    assert order.withdrawals.count() == 2


@pytest.mark.rule("SAM-2")
def test_a_joint_order_mixing_wards_is_refused_in_plain_words(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    other_ward = f.make_ward("603999")
    stranger = f.make_resident(other_ward, f.PERSONNUMMER[4])
    a, b = _rx(world, residents[0]), _rx(world, stranger)
    response = client_for(world.orderer).post(
        reverse("web:new_joint_order"), {f"qty_{a.pk}": "10", f"qty_{b.pk}": "10"}
    )
    assert response.status_code == 200
    assert "En samleverans kan inte gå över olika kundnummer." in _html(response)
    assert not JointOrder.objects.exists() and not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-4")
def test_a_joint_order_with_nutrition_is_refused_in_plain_words(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a = _rx(world, residents[0])
    n = _rx(world, residents[1], world.nutrition_product)
    response = client_for(world.orderer).post(
        reverse("web:new_joint_order"), {f"qty_{a.pk}": "10", f"qty_{n.pk}": "2"}
    )
    assert "Nutrition (även sondmatningstillbehör) ingår aldrig" in _html(response)
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-4")
def test_joint_ordering_needs_the_permission(
    client_for: ClientFor, world: World, residents: Any
) -> None:
    without = f.make_user("utan", unit=world.ward, role=Role.ORDERER)
    response = client_for(without).get(reverse("web:new_joint_order"))
    assert response.status_code == 403
    assert "Sambeställning – Särskilt boende" in _html(response)


@pytest.mark.rule("SAM-4")
def test_a_prescriber_may_not_joint_order(client_for: ClientFor, world: World) -> None:
    response = client_for(world.prescriber).get(reverse("web:new_joint_order"))
    assert response.status_code == 403


@pytest.mark.rule("AKUT-7")
def test_there_is_no_joint_emergency_order(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a, b = _rx(world, residents[0]), _rx(world, residents[1])
    response = client_for(world.orderer).post(
        reverse("web:new_joint_order"),
        {f"qty_{a.pk}": "10", f"qty_{b.pk}": "10", "speed": "emergency"},
    )
    assert "Akutleverans till särskilt boende gäller en patient i taget" in _html(response)
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-3")
def test_a_ward_without_a_delivery_place_cannot_joint_order(
    client_for: ClientFor, world: World, friday: Any
) -> None:
    residents = [f.make_resident(world.ward, pnr) for pnr in f.PERSONNUMMER[1:3]]
    a, b = _rx(world, residents[0]), _rx(world, residents[1])
    response = client_for(world.orderer).post(
        reverse("web:new_joint_order"), {f"qty_{a.pk}": "10", f"qty_{b.pk}": "10"}
    )
    assert "Avdelningen saknar anvisad leveransplats." in _html(response)
    assert not Withdrawal.objects.exists()


def test_joint_order_bad_input_shows_swedish_errors_and_creates_nothing(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a = _rx(world, residents[0])
    client = client_for(world.orderer)
    response = client.post(reverse("web:new_joint_order"), {f"qty_{a.pk}": "tio"})
    assert "Ange antalet som ett heltal." in _html(response)
    response = client.post(reverse("web:new_joint_order"), {"qty_99999999": "5"})
    assert "finns inte" in _html(response)
    response = client.post(reverse("web:new_joint_order"), {})
    assert "En sambeställning gäller flera patienter" in _html(response)
    assert not Withdrawal.objects.exists()


def test_another_wards_joint_order_is_404(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a, b = _rx(world, residents[0]), _rx(world, residents[1])
    client_for(world.orderer).post(
        reverse("web:new_joint_order"),
        {f"qty_{a.pk}": "10", f"qty_{b.pk}": "10", "action": "place"},
    )
    order = JointOrder.objects.get()
    other_ward = f.make_ward("603888")
    other = f.make_user("annan-bestallare", unit=other_ward, role=Role.ORDERER, joint_ordering=True)
    response = client_for(other).get(reverse("web:joint_order", args=[order.number]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="withdrawals.joint_order.read", outcome="not_found"
    ).exists()
