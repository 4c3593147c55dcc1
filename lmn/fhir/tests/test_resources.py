"""What the resources say: SEBasePatient identifiers and the protected-registration
label, prescriptions created through DeviceRequest with the API's rule codes, paging,
and the patient's log extract as AuditEvents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.fhir import codes
from lmn.patients.models import Patient
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f

from .conftest import BASE, fhir_client, outcome_code, post, valid


@pytest.mark.rule("SKYDD-1")
def test_a_protected_identity_inside_its_unit_is_labelled_and_has_no_address(
    world: Any,
) -> None:
    hidden = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    inside = valid(
        fhir_client(world.prescriber, world.unit).get(f"{BASE}/Patient/{hidden.pk}").json()
    )
    assert inside["meta"]["security"] == [
        {
            "system": codes.SECURITY_LABEL,
            "code": "skyddadFolkbokforing",
            "display": "Skyddad folkbokföring",
        }
    ]
    assert "address" not in inside
    outside = fhir_client(world.outsider, world.other_unit)
    found = valid(outside.get(f"{BASE}/Patient?identifier={hidden.identifier}").json())
    assert found["total"] == 0 and "entry" not in found


@pytest.mark.rule("ASYL-6")
def test_the_lma_number_is_the_guides_lma_identifier(world: Any) -> None:
    asylum = f.make_patient(f.PERSONNUMMER[3])
    Patient.objects.filter(pk=asylum.pk).update(
        identity_kind="lma",
        identifier="50008920",
        lma_card_sequence="4",
        lma_valid_until=dt.date(2099, 1, 1),
    )
    c = fhir_client(world.prescriber, world.unit)
    found = valid(c.get(f"{BASE}/Patient?identifier={codes.LMA_NUMMER}|50-008920/4").json())
    assert found["entry"][0]["resource"]["identifier"] == [
        {"use": "official", "system": codes.LMA_NUMMER, "value": "50-008920/4"}
    ]
    assert found["entry"][0]["resource"]["id"] == str(asylum.pk)
    wrong_system = c.get(f"{BASE}/Patient?identifier={codes.PERSONNUMMER}|50-008920/4").json()
    assert wrong_system["total"] == 0


def _device_request(world: Any, article: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "DeviceRequest",
        "status": "active",
        "intent": "order",
        "codeCodeableConcept": {"coding": [{"system": codes.ARTICLE_NUMBER, "code": article}]},
        "subject": {"reference": f"Patient/{world.patient.pk}"},
        "parameter": [
            {
                "code": {
                    "coding": [
                        {"system": f"{codes.LMN}/CodeSystem/parameter", "code": "forbrukning"}
                    ]
                },
                "valueQuantity": {"value": 2, "system": "http://unitsofmeasure.org", "code": "/d"},
            }
        ],
        "note": [{"text": "Morgon och kväll"}],
        **extra,
    }


@pytest.mark.rule("GEN-2")
@pytest.mark.rule("ACC-3")
def test_a_prescription_through_device_request_with_the_apis_rule_codes(world: Any) -> None:
    c = fhir_client(world.prescriber, world.unit)
    created = post(
        c, "/DeviceRequest", _device_request(world, world.diabetes_product.article_number)
    )
    assert created.status_code == 201, created.content
    body = valid(created.json())
    p = Prescription.objects.get()
    assert created["Location"].endswith(f"/fhir/r4/DeviceRequest/{p.pk}")
    assert body["identifier"][0]["value"] == p.reference
    assert (p.consumption_amount, p.consumption_period, p.instructions) == (
        2,
        "day",
        "Morgon och kväll",
    )
    # the prescriber lacks nutrition: the same refusal as the REST API's
    refused = post(
        c, "/DeviceRequest", _device_request(world, world.nutrition_product.article_number)
    )
    assert outcome_code(refused, 422) == "ACC-3"
    unknown = post(c, "/DeviceRequest", _device_request(world, "000"))
    assert outcome_code(unknown, 422) == "product_not_found"
    bad = _device_request(world, world.diabetes_product.article_number)
    bad["parameter"][0]["valueQuantity"]["code"] = "/h"
    assert outcome_code(post(c, "/DeviceRequest", bad), 422) == "invalid_consumption"
    assert Prescription.objects.count() == 1


def test_searchsets_page_with_total_and_links(world: Any) -> None:
    for product in [world.diabetes_product] + [
        f.make_product("diabetes", name=f"Produkt {i}") for i in range(4)
    ]:
        f.make_prescription(
            patient=world.patient, product=product, prescriber=world.prescriber, unit=world.unit
        )
    c = fhir_client(world.prescriber, world.unit)
    first = valid(c.get(f"{BASE}/DeviceRequest?patient={world.patient.pk}&_count=2").json())
    assert first["total"] == 5 and len(first["entry"]) == 2
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert set(links) == {"self", "first", "next", "last"}
    last = valid(c.get(links["last"]).json())
    assert len(last["entry"]) == 1
    assert {link["relation"] for link in last["link"]} >= {"previous"}


@pytest.mark.rule("PDL-4")
def test_the_patients_log_extract_for_the_auditor(world: Any) -> None:
    c = fhir_client(world.prescriber, world.unit)
    c.get(f"{BASE}/Patient/{world.patient.pk}")
    auditor = f.make_user("granskare-f", role=Role.AUDITOR, unit=None)
    extract = valid(
        fhir_client(auditor).get(f"{BASE}/AuditEvent?patient={world.patient.pk}").json()
    )
    assert extract["total"] >= 1
    read = [
        e["resource"]
        for e in extract["entry"]
        if e["resource"]["subtype"][0]["code"] == "patients.patient.read"
    ]
    assert read[0]["agent"][0]["who"]["identifier"]["value"] == world.prescriber.hsa_id
    assert read[0]["agent"][1]["who"]["identifier"]["value"] == "602154"
    assert AuditEvent.objects.filter(action="audit.extract.read").count() == 1
    # a prescriber may not read the extract (403, audited)
    assert outcome_code(c.get(f"{BASE}/AuditEvent?patient={world.patient.pk}"), 403) == "PDL-4"


def test_the_capability_statement_lists_what_is_served(client: Any) -> None:
    statement = valid(client.get(f"{BASE}/metadata").json())
    assert statement["fhirVersion"] == "4.0.1"
    assert statement["format"] == [codes.FHIR_JSON]
    served = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(served) == {
        "Patient",
        "Organization",
        "Practitioner",
        "PractitionerRole",
        "DeviceRequest",
        "SupplyRequest",
        "SupplyDelivery",
        "AuditEvent",
    }
    assert served["SupplyRequest"]["conditionalCreate"] is True
    assert {p["name"] for p in served["SupplyRequest"]["searchParam"]} == {
        "patient",
        "identifier",
        "status",
        "date",
    }


def test_supply_requests_by_patient_date_and_status(world: Any) -> None:
    from lmn.delivery.details import DeliveryRequest
    from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient, lines=[LineDraft(rx.pk, 3)], delivery=DeliveryRequest()
        ),
        actor=world.actor(world.prescriber),
    )
    c = fhir_client(world.prescriber, world.unit)
    day = w.placed_at.date().isoformat()
    url = f"{BASE}/SupplyRequest?patient=Patient/{world.patient.pk}"
    assert valid(c.get(f"{url}&status=active&date=ge{day}").json())["total"] == 1
    assert valid(c.get(f"{url}&status=completed").json())["total"] == 0
    assert valid(c.get(f"{url}&date=gt{day}").json())["total"] == 0
    found = valid(c.get(f"{BASE}/SupplyRequest?identifier={w.number}").json())
    assert found["entry"][0]["resource"]["identifier"][0]["value"] == w.number


def test_units_and_staff_by_identifier(world: Any) -> None:
    c = fhir_client(world.prescriber, world.unit)
    units = valid(c.get(f"{BASE}/Organization?identifier={codes.CUSTOMER_NUMBER}|602154").json())
    assert units["total"] == 1
    unit_id = units["entry"][0]["resource"]["id"]
    hsa = world.prescriber.hsa_id
    staff = valid(c.get(f"{BASE}/Practitioner?identifier={codes.HSA_ID}|{hsa}").json())
    assert staff["entry"][0]["resource"]["id"] == str(world.prescriber.pk)
    roles = valid(
        c.get(
            f"{BASE}/PractitionerRole?organization=Organization/{unit_id}&role=forskrivare"
        ).json()
    )
    assert {e["resource"]["practitioner"]["reference"] for e in roles["entry"]} >= {
        f"Practitioner/{world.prescriber.pk}"
    }
    one = roles["entry"][0]["resource"]["id"]
    assert valid(c.get(f"{BASE}/PractitionerRole/{one}").json())["id"] == one
    assert valid(c.get(f"{BASE}/Organization/{unit_id}").json())["name"] == world.unit.name


@pytest.mark.rule("RX-1")
@pytest.mark.rule("RX-3")
def test_a_replaced_product_shows_as_revoked_with_its_successor_naming_it(world: Any) -> None:
    from lmn.prescriptions.lifecycle import replace_product
    from lmn.prescriptions.services import PrescriptionDraft

    old = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    other = f.make_product("diabetes", name="Testremsor Ny")
    new = replace_product(
        old,
        PrescriptionDraft(world.patient, other, 1, "day"),
        based_on_version=old.version,
        actor=world.actor(world.prescriber),
    )
    c = fhir_client(world.prescriber, world.unit)
    before = valid(c.get(f"{BASE}/DeviceRequest/{old.pk}").json())
    after = valid(c.get(f"{BASE}/DeviceRequest/{new.pk}").json())
    assert before["status"] == "revoked" and int(before["meta"]["versionId"]) > 1
    assert after["status"] == "active"
    assert after["priorRequest"] == [{"reference": f"DeviceRequest/{old.pk}"}]
