"""The API follows inner secrecy (PDL-1, PDL-2): other units' records after a stated
care relationship, blocked ones only by emergency access."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.patients.models import CareRelationship
from lmn.patients.services.care import register_block
from lmn.testing import factories as f


@pytest.fixture
def rx(world: Any) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


def url(world: Any, tail: str = "") -> str:
    return f"/api/v1/patients/{world.patient.pk}{tail}"


@pytest.mark.rule("PDL-1")
def test_another_unit_reads_the_prescription_after_stating_a_relationship(
    world: Any, rx: Any
) -> None:
    client = client_for(world.outsider, world.other_unit)
    assert client.get(url(world)).json()["prescriptions"] == []
    assert client.get(f"/api/v1/prescriptions/{rx.pk}").status_code == 404

    r = post_json(client, url(world, "/care-relationship"), {"reason": "Besök idag"})
    assert r.status_code == 200, r.content
    assert r.json()["consent"] is False

    assert [p["id"] for p in client.get(url(world)).json()["prescriptions"]] == [rx.pk]
    assert client.get(f"/api/v1/prescriptions/{rx.pk}").status_code == 200


@pytest.mark.rule("PDL-1")
@pytest.mark.parametrize(
    "body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": 5}]
)
def test_a_relationship_without_a_reason_is_422(world: Any, rx: Any, body: Any) -> None:
    client = client_for(world.outsider, world.other_unit)
    r = post_json(client, url(world, "/care-relationship"), body)
    assert r.status_code == 422, r.content
    assert not CareRelationship.objects.exists()


@pytest.mark.rule("PDL-1")
def test_customer_service_may_not_state_one_and_an_unknown_patient_is_404(world: Any) -> None:
    cs = client_for(world.customer_service, None)
    assert post_json(cs, url(world, "/care-relationship"), {"reason": "x"}).status_code == 403
    client = client_for(world.outsider, world.other_unit)
    r = post_json(client, "/api/v1/patients/999999/care-relationship", {"reason": "x"})
    assert_error(r, 404, "not_found")


@pytest.mark.rule("PDL-2")
def test_a_blocked_unit_opens_only_by_emergency_access(world: Any, rx: Any) -> None:
    register_block(world.patient, unit=world.unit, actor=world.actor(world.customer_service))
    client = client_for(world.outsider, world.other_unit)
    post_json(client, url(world, "/care-relationship"), {"reason": "Besök", "consent": True})
    assert client.get(url(world)).json()["prescriptions"] == []
    r = post_json(client, url(world, "/care-relationship"), {"reason": "", "emergency": True})
    assert_error(r, 422, "reason_required")
    r = post_json(client, url(world, "/care-relationship"), {"reason": "Akut", "emergency": True})
    assert r.status_code == 200
    assert [p["id"] for p in client.get(url(world)).json()["prescriptions"]] == [rx.pk]
