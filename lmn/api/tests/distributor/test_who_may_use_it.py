"""The distributor's API is for the distributor, who never sees a protected patient."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal

from .helpers import QUEUE, _collect, _event, _place


def test_other_roles_get_403_on_every_distributor_endpoint(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    number = _place(prescriber_client, world.patient, prescription)
    service = client_for(world.customer_service, None)
    for client in (prescriber_client, service):
        assert_error(client.get(QUEUE), 403, "distributor_only")
        assert_error(_event(client, number, "picked"), 403, "distributor_only")
        assert_error(_collect(client, number), 403, "distributor_only")
        # unknown numbers too: the role is checked before anything is looked up
        assert_error(_event(client, "U99999999", "picked"), 403, "distributor_only")
    assert Withdrawal.objects.get(number=number).status == "placed"


def test_distributor_endpoints_need_a_token(world: Any) -> None:
    assert_error(Client().get(QUEUE), 401, "not_authenticated")
    assert_error(_event(Client(), "U99999999", "picked"), 401, "not_authenticated")


@pytest.mark.rule("SKYDD-5", "SKYDD-6")
def test_the_distributor_ships_protected_withdrawals_without_seeing_the_patient(
    world: Any, protected_patient: Any, depot: Client
) -> None:
    rx = f.make_prescription(
        patient=protected_patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    number = _place(
        client_for(world.prescriber, world.unit),
        protected_patient,
        rx,
        destination="unit",
        care_of="Eva Ansvarig",
    )
    assert_error(_event(depot, "U99999999", "picked"), 404, "not_found")
    assert_error(_event(depot, "nonsense", "picked"), 404, "not_found")
    queue = depot.get(QUEUE)
    assert number in [row["number"] for row in queue.json()]
    assert _event(depot, number, "picked").status_code == 200
    label = depot.get(f"/api/v1/withdrawals/{number}/label.pdf")
    assert label.status_code == 200
    for response in (queue, label):
        assert protected_patient.last_name.encode() not in response.content
    assert Withdrawal.objects.get(number=number).status == "picked"
