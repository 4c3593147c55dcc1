"""Bad input answers an OperationOutcome with the right status and our stable code,
never a 500, and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal

from .conftest import BASE, fhir_client, outcome_code, post, valid


@pytest.fixture
def rx(world: Any) -> Prescription:
    """One test strip a day: 90 may be withdrawn now."""
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=1,
        per="day",
    )


def order(rx: Prescription, quantity: int = 10, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "SupplyRequest",
        "status": "active",
        "itemCodeableConcept": {"text": "x"},
        "quantity": {"value": quantity},
        "reasonReference": [{"reference": f"DeviceRequest/{rx.pk}"}],
        **extra,
    }


def test_a_body_that_does_not_parse(world: Any, rx: Prescription) -> None:
    c = fhir_client(world.prescriber, world.unit)
    assert (
        outcome_code(post(c, "/SupplyRequest", "{not json", **{"Idempotency-Key": "a"}), 400)
        == "invalid_json"
    )
    assert (
        outcome_code(post(c, "/SupplyRequest", "[1, NaN]", **{"Idempotency-Key": "a"}), 400)
        == "invalid_json"
    )
    body = order(rx, unknownElement=1)
    assert (
        outcome_code(post(c, "/SupplyRequest", body, **{"Idempotency-Key": "a"}), 400)
        == "invalid_resource"
    )
    assert Withdrawal.objects.count() == 0


def test_the_wrong_resource_type(world: Any, rx: Prescription) -> None:
    c = fhir_client(world.prescriber, world.unit)
    body = {**order(rx), "resourceType": "DeviceRequest"}
    response = post(c, "/SupplyRequest", body, **{"Idempotency-Key": "a"})
    assert outcome_code(response, 400) == "wrong_resource_type"


def test_a_status_outside_the_required_binding(world: Any, rx: Prescription) -> None:
    c = fhir_client(world.prescriber, world.unit)
    response = post(c, "/SupplyRequest", order(rx, status="bogus"), **{"Idempotency-Key": "a"})
    assert outcome_code(response, 400) == "invalid_code"
    assert Withdrawal.objects.count() == 0


def test_unknown_search_parameters_refused_when_strict_else_reported(world: Any) -> None:
    c = fhir_client(world.prescriber, world.unit)
    url = f"{BASE}/Patient?identifier={world.patient.identifier}&favourite-colour=blue"
    strict = c.get(url, headers={"Prefer": "handling=strict"})
    assert outcome_code(strict, 400) == "unknown_search_parameter"
    lenient = valid(c.get(url, headers={"Prefer": "handling=lenient"}).json())
    assert lenient["total"] == 1
    outcome = [e for e in lenient["entry"] if e["search"]["mode"] == "outcome"]
    assert outcome[0]["resource"]["issue"][0]["expression"] == ["favourite-colour"]
    assert "favourite-colour" not in lenient["link"][0]["url"]


@pytest.mark.rule("SKYDD-1")
def test_a_reference_to_a_patient_the_caller_may_not_see(world: Any) -> None:
    hidden = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    rx = f.make_prescription(
        patient=hidden,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    outsider = fhir_client(world.outsider, world.other_unit)
    hidden_answer = post(outsider, "/SupplyRequest", order(rx), **{"Idempotency-Key": "a"})
    missing = order(rx)
    missing["reasonReference"] = [{"reference": "DeviceRequest/999999"}]
    missing_answer = post(outsider, "/SupplyRequest", missing, **{"Idempotency-Key": "b"})
    assert outcome_code(hidden_answer, 404) == "not_found"
    assert hidden_answer.content == missing_answer.content
    device = {
        "resourceType": "DeviceRequest",
        "status": "active",
        "intent": "order",
        "codeCodeableConcept": {"coding": [{"system": "x", "code": "1"}]},
        "subject": {"reference": f"Patient/{hidden.pk}"},
    }
    assert outcome_code(post(outsider, "/DeviceRequest", device), 404) == "not_found"
    assert outcome_code(outsider.get(f"{BASE}/Patient/{hidden.pk}"), 404) == "not_found"
    assert Withdrawal.objects.count() == 0


@pytest.mark.rule("GEN-3")
def test_a_supply_request_beyond_the_entitlement(world: Any, rx: Prescription) -> None:
    c = fhir_client(world.prescriber, world.unit)
    response = post(c, "/SupplyRequest", order(rx, quantity=91), **{"Idempotency-Key": "a"})
    assert outcome_code(response, 422) == "GEN-3"
    assert Withdrawal.objects.count() == 0


def test_idempotency_is_required_and_a_key_is_not_reused(world: Any, rx: Prescription) -> None:
    c = fhir_client(world.prescriber, world.unit)
    assert outcome_code(post(c, "/SupplyRequest", order(rx)), 400) == "idempotency_key_required"
    assert post(c, "/SupplyRequest", order(rx), **{"Idempotency-Key": "k"}).status_code == 201
    replay = post(c, "/SupplyRequest", order(rx), **{"Idempotency-Key": "k"})
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    other = post(c, "/SupplyRequest", order(rx, quantity=5), **{"Idempotency-Key": "k"})
    assert outcome_code(other, 409) == "idempotency_key_reused"
    assert Withdrawal.objects.count() == 1


def test_a_conditional_create_that_matches_more_than_one(world: Any) -> None:
    rxs = [
        f.make_prescription(
            patient=world.patient, product=p, prescriber=world.prescriber, unit=world.unit
        )
        for p in (world.diabetes_product, f.make_product("diabetes", name="Lansetter"))
    ]
    from lmn.delivery.details import DeliveryRequest
    from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(r.pk, 1) for r in rxs],
            delivery=DeliveryRequest(),
        ),
        actor=world.actor(world.prescriber),
    )
    c = fhir_client(world.prescriber, world.unit)
    condition = f"identifier=https://lmn.vgregion.se/fhir/identifier/uttagsnummer|{w.number}"
    response = post(c, "/SupplyRequest", order(rxs[0]), **{"If-None-Exist": condition})
    assert outcome_code(response, 412) == "multiple_matches"
    assert Withdrawal.objects.count() == 1
    bad = post(c, "/SupplyRequest", order(rxs[0]), **{"If-None-Exist": "patient=1"})
    assert outcome_code(bad, 400) == "invalid_condition"


@pytest.mark.rule("ACC-2")
def test_an_orderer_may_not_prescribe_and_the_refusal_is_audited(world: Any) -> None:
    from lmn.audit.models import AuditEvent

    c = fhir_client(world.orderer, world.ward)
    before = AuditEvent.objects.filter(action="authz.denied").count()
    assert (
        outcome_code(post(c, "/DeviceRequest", {"resourceType": "DeviceRequest"}), 403) == "ACC-2"
    )
    assert AuditEvent.objects.filter(action="authz.denied").count() == before + 1


def test_without_a_token_401_and_unknown_paths_404(client: Any, world: Any) -> None:
    response = client.get(f"{BASE}/Patient?identifier={world.patient.identifier}")
    assert outcome_code(response, 401) == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"
    assert outcome_code(client.get(f"{BASE}/Observation/1"), 404) == "not_found"
    c = fhir_client(world.prescriber, world.unit)
    assert outcome_code(c.delete(f"{BASE}/Patient/1"), 405) == "method_not_allowed"


def test_bad_search_values(world: Any) -> None:
    c = fhir_client(world.prescriber, world.unit)
    assert outcome_code(c.get(f"{BASE}/Patient"), 400) == "search_parameter_required"
    assert outcome_code(c.get(f"{BASE}/Patient?identifier=12345"), 400) != ""
    assert outcome_code(c.get(f"{BASE}/SupplyRequest?patient=1&_count=x"), 400) == (
        "invalid_search_value"
    )
    assert outcome_code(c.get(f"{BASE}/SupplyRequest?patient=1&date=yesterday"), 400) == (
        "invalid_search_value"
    )
    assert outcome_code(c.get(f"{BASE}/DeviceRequest/abc"), 404) == "not_found"
    assert outcome_code(c.get(f"{BASE}/SupplyRequest/nonsense"), 404) == "not_found"
    assert outcome_code(c.get(f"{BASE}/SupplyDelivery/U1-sx"), 404) == "not_found"


def test_a_body_over_the_upload_limit(world: Any, rx: Prescription, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    c = fhir_client(world.prescriber, world.unit)
    body = order(rx, extension=[{"url": "x", "valueString": "a" * 2000}])
    response = post(c, "/SupplyRequest", body, **{"Idempotency-Key": "big"})
    assert outcome_code(response, 413) == "request_too_large"
