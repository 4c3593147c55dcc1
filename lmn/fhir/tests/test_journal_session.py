"""A journal system's session over real HTTP with the fhirclient library: find the patient
by personnummer, read the prescriptions as DeviceRequests, order with a SupplyRequest
(sent twice: one withdrawal), and follow its SupplyDeliveries as the depot ships it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fhirclient import client
from fhirclient.models.bundle import Bundle
from fhirclient.models.devicerequest import DeviceRequest
from fhirclient.models.patient import Patient
from fhirclient.models.supplydelivery import SupplyDelivery
from fhirclient.models.supplyrequest import SupplyRequest

from lmn.core.actor import Role
from lmn.fhir import codes
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.services import transition

from .conftest import token_for, valid


@pytest.fixture
def sessions() -> Iterator[list[Any]]:
    """Close the journal's keep-alive connections: a live-server thread holding one would
    keep its database connection past the test."""
    opened: list[Any] = []
    yield opened
    for server in opened:
        server.session.close()


def journal(live_server: Any, token: str) -> Any:
    smart = client.FHIRClient(
        settings={"app_id": "journal", "api_base": f"{live_server.url}/fhir/r4/"}
    )
    smart.server.session.headers["Authorization"] = f"Bearer {token}"
    return smart.server


def _search(server: Any, path: str) -> Bundle:
    body = server.request_json(path)
    valid(body)
    return Bundle(body)  # fhirclient parses it strictly as R4


@pytest.mark.rule("GEN-2")
@pytest.mark.rule("GEN-3")
@pytest.mark.django_db(transaction=True)
def test_a_journal_system_orders_and_follows_the_delivery(
    live_server: Any, world: Any, sessions: list[Any]
) -> None:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=1,
        per="day",
    )
    server = journal(live_server, token_for(world.prescriber, world.unit))
    sessions.append(server)
    pnr = world.patient.identifier
    found = _search(server, f"Patient?identifier={codes.PERSONNUMMER}|{pnr[:8]}-{pnr[8:]}")
    assert found.total == 1
    patient = found.entry[0].resource
    assert isinstance(patient, Patient)
    assert patient.identifier[0].value == pnr

    requests = _search(server, f"DeviceRequest?patient=Patient/{patient.id}&status=active")
    assert requests.total == 1
    device = requests.entry[0].resource
    assert isinstance(device, DeviceRequest)
    assert device.codeCodeableConcept.coding[0].code == world.diabetes_product.article_number
    assert DeviceRequest.read(device.id, server).status == "active"

    order = SupplyRequest(
        {
            "resourceType": "SupplyRequest",
            "identifier": [{"system": "urn:oid:1.2.3.4.journal", "value": "order-1"}],
            "status": "active",
            "priority": "routine",
            "itemCodeableConcept": device.codeCodeableConcept.as_json(),
            "quantity": {"value": 10},
            "reasonReference": [{"reference": f"DeviceRequest/{device.id}"}],
        }
    )
    condition = {"If-None-Exist": "identifier=urn:oid:1.2.3.4.journal|order-1"}
    first = server.session.post(
        f"{live_server.url}/fhir/r4/SupplyRequest",
        json=order.as_json(),
        headers={"Content-Type": codes.FHIR_JSON, **condition},
    )
    assert first.status_code == 201, first.text
    again = server.session.post(
        f"{live_server.url}/fhir/r4/SupplyRequest",
        json=order.as_json(),
        headers={"Content-Type": codes.FHIR_JSON, **condition},
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Withdrawal.objects.count() == 1
    created = SupplyRequest(valid(first.json()))
    number = created.identifier[0].value
    assert SupplyRequest.read(created.id, server).quantity.value == 10

    w = Withdrawal.objects.get(number=number)
    depot = f.actor_of(f.make_user("depot-j", role=Role.DISTRIBUTOR, unit=None))
    transition(w, "picked", actor=depot)
    transition(w, "shipped", actor=depot)
    steps = _search(server, f"SupplyDelivery?based-on=SupplyRequest/{created.id}")
    assert steps.total == 2
    kinds = [e.resource.extension[0].valueCode for e in steps.entry]
    assert kinds == ["picked", "shipped"]
    assert all(isinstance(e.resource, SupplyDelivery) for e in steps.entry)
    assert SupplyDelivery.read(steps.entry[1].resource.id, server).status == "in-progress"
    assert rx.pk == int(device.id)
