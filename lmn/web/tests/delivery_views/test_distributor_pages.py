"""The distributor's pages: the queue, shipment events, collection, returns and the label."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.notifications.models import Notification
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Collection, Withdrawal, WithdrawalFee
from lmn.withdrawals.states import WithdrawalStatus

from .helpers import _event, _html


@pytest.mark.parametrize("persona", ["prescriber", "orderer", "customer_service"])
def test_distributor_pages_are_forbidden_for_other_roles(
    client_for: ClientFor, world: World, to_door: Withdrawal, persona: Any
) -> None:
    client = client_for(getattr(world, persona))
    number = to_door.number
    for response in (
        client.get(reverse("web:distributor")),
        _event(client, number, "picked"),
        client.get(reverse("web:collection", args=[number])),
        client.get(reverse("web:label", args=[number])),
    ):
        assert response.status_code == 403
        assert "Du saknar behörighet" in _html(response)
    assert Withdrawal.objects.get().status == WithdrawalStatus.PLACED


def test_distributor_is_unit_less_and_lands_on_the_queue(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    client = client_for(distributor)
    assert client.get(reverse("web:home"))["Location"] == reverse("web:distributor")
    html = _html(client.get(reverse("web:distributor")))
    assert "Hela regionen · Distributör" in html
    assert "Arbetskö" in html
    assert f'id="row-{to_door.number}"' in html
    assert "Tolvan" not in html  # the queue shows no patient names


def test_distributor_gets_404_for_unknown_withdrawals_and_no_protected_names(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    client = client_for(distributor)
    assert _event(client, "U99999999", "picked").status_code == 404
    world.patient.protected = True
    world.patient.protected_unit = world.unit
    world.patient.save()
    queue = _html(client.get(reverse("web:distributor")))
    assert f'id="row-{to_door.number}"' in queue  # still shipped (SKYDD-5) ...
    assert world.patient.last_name not in queue  # ... without the patient (SKYDD-6)


@pytest.mark.rule("PICK-2", "PICK-5", "PICK-9")
def test_distributor_flow_to_collection_refuses_wrong_code(
    client_for: ClientFor, world: World, distributor: Any, to_pickup: Withdrawal
) -> None:
    client = client_for(distributor)
    number = to_pickup.number
    for event in ("picked", "shipped", "arrived"):
        response = _event(client, number, event)
        assert response.status_code == 302, _html(response)
    arrived = Withdrawal.objects.get()
    assert arrived.status == WithdrawalStatus.ARRIVED
    assert len(arrived.pickup_code) == 4
    assert Notification.objects.filter(channel="sms").exists()
    queue = _html(client.get(reverse("web:distributor")))
    assert reverse("web:collection", args=[number]) in queue
    assert "Hämtas senast 2026-03-24" in queue

    url = reverse("web:collection", args=[number])
    page = _html(client.get(url))
    assert "Tolvan Tolvansson" in page  # the name on the parcel, checked against the ID
    wrong = "0000" if arrived.pickup_code != "0000" else "1111"
    refused = _html(
        client.post(
            url,
            {
                "code": wrong,
                "collector": "recipient",
                "recipient_id_shown": "on",
                "id_document": "Körkort",
            },
        )
    )
    assert "Koden stämmer inte med aviseringens kod." in refused
    assert 'href="#id_code"' in refused
    assert Withdrawal.objects.get().status == WithdrawalStatus.ARRIVED
    response = client.post(
        url,
        {
            "code": arrived.pickup_code,
            "collector": "recipient",
            "recipient_id_shown": "on",
            "id_document": "Körkort",
        },
    )
    assert response["Location"] == reverse("web:distributor")
    assert Withdrawal.objects.get().status == WithdrawalStatus.COLLECTED
    assert Collection.objects.get().id_document == "Körkort"


@pytest.mark.rule("PICK-5", "PICK-6", "PICK-7")
def test_collection_identification_refusals_in_swedish(
    client_for: ClientFor, world: World, distributor: Any, to_pickup: Withdrawal
) -> None:
    client = client_for(distributor)
    for event in ("picked", "shipped", "arrived"):
        _event(client, to_pickup.number, event)
    code = Withdrawal.objects.get().pickup_code
    url = reverse("web:collection", args=[to_pickup.number])
    no_id = _html(client.post(url, {"code": code, "collector": "recipient"}))
    assert "Mottagaren måste visa legitimation." in no_id
    assert "Ange vilken legitimation som visades." in no_id
    other = _html(
        client.post(
            url,
            {"code": code, "collector": "other", "collector_id_shown": "on", "id_document": "Pass"},
        )
    )
    assert "Både mottagarens och den hämtandes legitimation måste visas." in other
    assert "Ange den hämtandes namn." in other
    contact = _html(
        client.post(
            url,
            {
                "code": code,
                "collector": "contact_person",
                "collector_name": "Bertil Berg",
                "collector_id_shown": "on",
                "id_document": "Pass",
            },
        )
    )
    assert "Namnet stämmer inte med kontaktpersonen" in contact
    assert Withdrawal.objects.get().status == WithdrawalStatus.ARRIVED
    ok = client.post(
        url,
        {
            "code": code,
            "collector": "contact_person",
            "collector_name": "anna andersson",
            "collector_id_shown": "on",
            "id_document": "Pass",
        },
    )
    assert ok.status_code == 302
    assert Collection.objects.get().collector == Collection.Collector.CONTACT_PERSON


@pytest.mark.rule("OUT-8")
def test_returned_with_reason_adds_a_return_fee(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    client = client_for(distributor)
    _event(client, to_door.number, "picked")
    _event(client, to_door.number, "shipped")
    missing = _event(client, to_door.number, "returned", reason="")
    assert "Ange en giltig returorsak." in _html(missing)
    response = _event(client, to_door.number, "returned", reason="wrong_door_code")
    assert response.status_code == 302
    fee = WithdrawalFee.objects.get(kind="return")
    assert fee.label == "Retur: fel portkod"
    assert Withdrawal.objects.get().status == WithdrawalStatus.RETURNED
    html = _html(client_for(world.prescriber).get(reverse("web:withdrawal", args=[to_door.number])))
    assert "Retur: fel portkod: <strong>200\u00a0kr</strong>" in html
    assert "Returnerad" in html


def test_door_delivery_is_delivered_not_arrived(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    client = client_for(distributor)
    _event(client, to_door.number, "picked")
    queue = _html(client.get(reverse("web:distributor")))
    assert "Skickad<span" in queue
    _event(client, to_door.number, "shipped")
    refused = _html(_event(client, to_door.number, "arrived"))
    assert f"{to_door.number}: Försändelsen ska inte till ett utlämningsställe." in refused
    assert _event(client, to_door.number, "delivered").status_code == 302
    assert Withdrawal.objects.get().status == WithdrawalStatus.DELIVERED


def test_out_of_order_event_is_refused_with_a_message(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    html = _html(_event(client_for(distributor), to_door.number, "delivered"))
    assert "nhsuk-error-summary" in html
    assert Withdrawal.objects.get().status == WithdrawalStatus.PLACED


@pytest.mark.rule("OUT-9")
def test_label_view_returns_an_audited_pdf(
    client_for: ClientFor, world: World, distributor: Any, to_door: Withdrawal
) -> None:
    response = client_for(distributor).get(reverse("web:label", args=[to_door.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="withdrawals.label.printed").exists()
