"""The portal's care relationship, emergency access and block pages (PDL-1, PDL-2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.patients.models import CareRelationship, PatientBlock
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World


@pytest.fixture
def rx(world: World) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


def overview(client: Any, world: World) -> str:
    response = client.get(reverse("web:patient", args=[world.patient.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.mark.rule("PDL-1")
def test_another_unit_sees_a_notice_then_the_prescription_after_one_click(
    world: World, client_for: ClientFor, rx: Any
) -> None:
    client = client_for(world.outsider)
    page = overview(client, world)
    assert "Testremsor Glukos" not in page
    assert 'id="records-elsewhere"' in page

    url = reverse("web:care_relationship", args=[world.patient.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Besök idag"})
    assert response.status_code == 302

    page = overview(client, world)
    assert "Testremsor Glukos" in page
    assert 'id="records-elsewhere"' not in page


@pytest.mark.rule("PDL-1")
def test_own_unit_sees_no_notice(world: World, client_for: ClientFor, rx: Any) -> None:
    page = overview(client_for(world.prescriber), world)
    assert "Testremsor Glukos" in page
    assert 'id="records-elsewhere"' not in page


@pytest.mark.rule("PDL-1")
def test_a_relationship_without_reason_shows_the_problem_on_the_field(
    world: World, client_for: ClientFor, rx: Any
) -> None:
    client = client_for(world.outsider)
    url = reverse("web:care_relationship", args=[world.patient.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ange skälet till att du deltar i patientens vård." in body
    assert "nhsuk-error-summary" in body
    assert not CareRelationship.objects.exists()


@pytest.mark.rule("PDL-2")
def test_customer_service_blocks_a_unit_and_emergency_access_opens_it(
    world: World, client_for: ClientFor, rx: Any
) -> None:
    cs = client_for(world.customer_service)
    url = reverse("web:patient_blocks", args=[world.patient.pk])
    assert world.unit.customer_number in cs.get(url).content.decode()
    response = cs.post(url, {"unit": world.unit.customer_number, "reason": "Patientens begäran"})
    assert response.status_code == 302
    block = PatientBlock.objects.get()
    assert block.unit == world.unit

    client = client_for(world.outsider)
    client.post(
        reverse("web:care_relationship", args=[world.patient.pk]),
        {"reason": "Besök", "consent": "on"},
    )
    page = overview(client, world)
    assert "Testremsor Glukos" not in page
    assert reverse("web:emergency_access", args=[world.patient.pk]) in page

    emergency = reverse("web:emergency_access", args=[world.patient.pk])
    refused = client.post(emergency, {"reason": ""})
    assert "Ange skälet till nödåtkomsten." in refused.content.decode()
    assert client.post(emergency, {"reason": "Akut, medvetslös"}).status_code == 302
    assert "Testremsor Glukos" in overview(client, world)
    assert AuditEvent.objects.filter(action="patients.emergency_access").count() == 1

    cs = client_for(world.customer_service)  # the one test client, logged in again
    cs.post(url, {"lift": str(block.pk)})
    block.refresh_from_db()
    assert block.lifted_at is not None


@pytest.mark.rule("PDL-2")
def test_a_block_without_a_unit_is_refused_on_the_field(
    world: World, client_for: ClientFor, rx: Any
) -> None:
    cs = client_for(world.customer_service)
    url = reverse("web:patient_blocks", args=[world.patient.pk])
    for unit in ["", "999999", "<b>"]:
        response = cs.post(url, {"unit": unit})
        assert response.status_code == 200
        assert "Välj enheten vars uppgifter ska spärras." in response.content.decode()
    assert cs.post(url, {"lift": "abc"}).status_code == 404
    assert not PatientBlock.objects.exists()


def test_only_care_staff_state_relationships_and_only_customer_service_blocks(
    world: World, client_for: ClientFor
) -> None:
    assert (
        client_for(world.customer_service)
        .get(reverse("web:care_relationship", args=[world.patient.pk]))
        .status_code
        == 403
    )
    assert (
        client_for(world.prescriber)
        .get(reverse("web:patient_blocks", args=[world.patient.pk]))
        .status_code
        == 403
    )
