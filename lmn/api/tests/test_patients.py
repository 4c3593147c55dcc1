from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.audit.models import AuditEvent
from lmn.testing import factories as f


@pytest.mark.parametrize(
    "identifier", ["19121212-1212", "191212121212", "121212+1212", " 19121212 1212 "]
)
def test_find_patient_by_identifier_in_any_common_format(
    world: Any, prescriber_client: Client, identifier: str
) -> None:
    r = prescriber_client.get("/api/v1/patients", {"identifier": identifier})
    assert r.status_code == 200, r.content
    [found] = r.json()
    assert found["id"] == world.patient.pk
    assert found["identity"] == {"kind": "personnummer", "identifier": "191212121212"}
    assert found["name"] == "Tolvan Tolvansson"


def test_find_patient_imports_from_the_register(world: Any, prescriber_client: Client) -> None:
    f.register_person(f.PERSONNUMMER[3], first_name="Greta")
    r = prescriber_client.get("/api/v1/patients", {"identifier": "19760808-0813"})
    assert [p["name"] for p in r.json()] == ["Greta Tolvansson"]


def test_unknown_patient_is_an_empty_list(world: Any, prescriber_client: Client) -> None:
    r = prescriber_client.get("/api/v1/patients", {"identifier": f.PERSONNUMMER[4]})
    assert r.status_code == 200
    assert r.json() == []


def test_invalid_identifier_is_422(world: Any, prescriber_client: Client) -> None:
    for bad in ("19121212-1213", "abc", "", "1" * 40):
        r = prescriber_client.get("/api/v1/patients", {"identifier": bad})
        assert r.status_code == 422, (bad, r.content)
        assert_error(r, 422, r.json()["errors"][0]["code"])
    assert_error(
        prescriber_client.get("/api/v1/patients", {"identifier": "19121212-1213"}),
        422,
        "invalid_personal_number",
    )
    assert_error(prescriber_client.get("/api/v1/patients"), 422, "required")


@pytest.mark.rule("SKYDD-1")
def test_find_protected_patient_from_wrong_unit_finds_nothing(
    world: Any, protected_patient: Any
) -> None:
    outsider = client_for(world.outsider, world.other_unit)
    r = outsider.get("/api/v1/patients", {"identifier": protected_patient.identifier})
    assert r.status_code == 200
    assert r.json() == []
    inside = client_for(world.prescriber, world.unit)
    r = inside.get("/api/v1/patients", {"identifier": protected_patient.identifier})
    assert [p["id"] for p in r.json()] == [protected_patient.pk]


def test_read_patient_shows_identity_address_prescriptions_and_withdrawals(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    # given a withdrawal of 30 against a 90-day prescription
    post_json(
        prescriber_client,
        "/api/v1/withdrawals",
        {
            "patient_id": world.patient.pk,
            "lines": [{"prescription_id": prescription.pk, "quantity": 30}],
        },
        **{"Idempotency-Key": "k1"},
    )
    # when the patient is read
    r = prescriber_client.get(f"/api/v1/patients/{world.patient.pk}")
    # then everything is there
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["identity"] == {"kind": "personnummer", "identifier": "191212121212"}
    assert body["birth_date"] == "1912-12-12"
    assert body["address"] == {"street": "Storgatan 1", "postcode": "41301", "city": "Göteborg"}
    assert body["resident_region"] == "VG"
    [p] = body["prescriptions"]
    assert p["id"] == prescription.pk
    assert set(p["entitlement"]) == {"withdrawable_now", "next_possible_date"}
    assert p["entitlement"]["withdrawable_now"] == 60
    assert len(body["withdrawals"]) == 1
    # and the read is audited
    assert AuditEvent.objects.filter(
        action="patients.patient.read", patient_id=world.patient.pk, outcome="ok"
    ).exists()


def test_read_missing_patient_is_404(world: Any, prescriber_client: Client) -> None:
    assert_error(prescriber_client.get("/api/v1/patients/999999"), 404, "not_found")


@pytest.mark.rule("SKYDD-1")
def test_read_protected_patient_from_wrong_unit_is_404_like_a_missing_one(
    world: Any, protected_patient: Any
) -> None:
    outsider = client_for(world.outsider, world.other_unit)
    hidden = outsider.get(f"/api/v1/patients/{protected_patient.pk}")
    missing = outsider.get("/api/v1/patients/999999")
    assert_error(hidden, 404, "not_found")
    assert hidden.content == missing.content
    inside = client_for(world.prescriber, world.unit)
    assert inside.get(f"/api/v1/patients/{protected_patient.pk}").status_code == 200
