from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.audit.models import AuditEvent
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal

URL = "/api/v1/withdrawals"


def _body(patient: Any, prescription: Any, quantity: int = 30, **delivery: Any) -> dict[str, Any]:
    return {
        "patient_id": patient.pk,
        "lines": [{"prescription_id": prescription.pk, "quantity": quantity}],
        "delivery": {"destination": "door", "speed": "standard", **delivery},
    }


def _post(client: Client, body: Any, key: str | None = "key-1") -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return post_json(client, URL, body, **headers)


def test_place_withdrawal(world: Any, prescriber_client: Client, prescription: Any) -> None:
    r = _post(prescriber_client, _body(world.patient, prescription))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["number"].startswith("U") and len(body["number"]) == 9
    assert body["status"] == "placed"
    assert body["promised_delivery_date"]
    assert body["fees"] == []
    [line] = body["lines"]
    assert (line["prescription_id"], line["quantity"]) == (prescription.pk, 30)
    # the registered address is the default
    assert body["delivery"]["address"] == {
        "street": "Storgatan 1",
        "postcode": "41301",
        "city": "Göteborg",
    }


@pytest.mark.rule("GEN-5")
def test_delivery_details_are_given_at_ordering(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    details: dict[str, Any] = {
        "address": {"street": "Sommarvägen 3", "postcode": "452 30", "city": "Strömstad"},
        "care_of": "Anna Berg",
        "door_code": "1234",
        "entry_phone": True,
        "phone": "070-123 45 67",
        "email": "anna@example.se",
        "contact_person": "Anna Berg",
        "notify_by": "sms",
    }
    r = _post(prescriber_client, _body(world.patient, prescription, **details))
    assert r.status_code == 201, r.content
    delivery = r.json()["delivery"]
    assert delivery["address"] == {
        "street": "Sommarvägen 3",
        "postcode": "45230",
        "city": "Strömstad",
    }
    assert delivery["door_code"] == "1234"
    assert delivery["phone"] == "+46701234567"
    assert delivery["care_of"] == "Anna Berg"
    w = Withdrawal.objects.get()
    assert (w.door_code, w.contact_person, w.entry_phone) == ("1234", "Anna Berg", True)


@pytest.mark.rule("GEN-4")
def test_someone_other_than_the_prescriber_can_order(world: Any, prescription: Any) -> None:
    # an orderer at the ward (in the patient's care, PDL-1) and customer service (no unit)
    # both order against the prescription
    f.in_care(world.patient, world.orderer, world.ward)
    orderer = client_for(world.orderer, world.ward)
    r = _post(orderer, _body(world.patient, prescription, quantity=10), key="o-1")
    assert r.status_code == 201, r.content
    service = client_for(world.customer_service, None)
    r = _post(service, _body(world.patient, prescription, quantity=10), key="cs-1")
    assert r.status_code == 201, r.content
    roles = set(Withdrawal.objects.values_list("ordered_by_role", flat=True))
    assert roles == {"bestallare", "kundtjanst"}


@pytest.mark.rule("GEN-3")
def test_withdrawal_beyond_entitlement_is_refused_with_the_date(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    # more than may be withdrawn now
    r = _post(prescriber_client, _body(world.patient, prescription, quantity=91), key="a")
    body = assert_error(r, 422, "GEN-3")
    assert body["errors"][0]["field"] == "lines[0].quantity"
    # the full amount, then anything more is refused with the date it becomes possible
    assert (
        _post(prescriber_client, _body(world.patient, prescription, 90), key="b").status_code == 201
    )
    r = _post(prescriber_client, _body(world.patient, prescription, quantity=1), key="c")
    body = assert_error(r, 422, "GEN-3")
    entitlement = prescriber_client.get(f"/api/v1/prescriptions/{prescription.pk}").json()[
        "entitlement"
    ]
    assert entitlement["withdrawable_now"] == 0
    assert entitlement["next_possible_date"] in body["errors"][0]["message"]
    assert Withdrawal.objects.count() == 1


def test_missing_idempotency_key_is_400(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    r = _post(prescriber_client, _body(world.patient, prescription), key=None)
    assert_error(r, 400, "idempotency_key_required")
    r = _post(prescriber_client, _body(world.patient, prescription), key="  ")
    assert_error(r, 400, "idempotency_key_required")
    assert not Withdrawal.objects.exists()


def test_same_key_and_body_gives_the_same_withdrawal(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    first = _post(prescriber_client, _body(world.patient, prescription), key="same")
    again = _post(prescriber_client, _body(world.patient, prescription), key="same")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["number"] == first.json()["number"]
    assert Withdrawal.objects.count() == 1


def test_same_key_with_another_body_is_409(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    assert (
        _post(prescriber_client, _body(world.patient, prescription, 10), key="k").status_code == 201
    )
    r = _post(prescriber_client, _body(world.patient, prescription, 11), key="k")
    assert_error(r, 409, "idempotency_key_reused")
    assert Withdrawal.objects.count() == 1


def test_keys_are_per_actor(world: Any, prescription: Any) -> None:
    f.in_care(world.patient, world.orderer, world.ward)
    a = _post(client_for(world.prescriber, world.unit), _body(world.patient, prescription, 10), "k")
    b = _post(client_for(world.orderer, world.ward), _body(world.patient, prescription, 10), "k")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["number"] != b.json()["number"]


def test_each_destination_and_speed_answers_with_its_rule(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    """Rules refuse with their IDs over the API too (PICK-1, AKUT-6, EXPR-1)."""
    for destination, speed, code in [
        ("pickup_point", "standard", "PICK-1"),
        ("door", "emergency", "AKUT-6"),
        ("door", "express", "EXPR-1"),
    ]:
        r = _post(
            prescriber_client,
            _body(world.patient, prescription, destination=destination, speed=speed),
            key=f"{destination}-{speed}",
        )
        assert_error(r, 422, code)
    assert_error(
        _post(prescriber_client, _body(world.patient, prescription, speed="teleport")),
        422,
        "invalid_choice",
    )


def test_prescription_of_another_patient_is_refused(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    other = f.make_patient(f.PERSONNUMMER[2])
    r = _post(prescriber_client, _body(other, prescription))
    assert_error(r, 422, "prescription_not_found")


def test_auditor_role_may_not_order(world: Any, prescription: Any) -> None:
    auditor = f.make_user("granskare", unit=None, role="granskare")
    r = _post(client_for(auditor, None), _body(world.patient, prescription))
    assert_error(r, 403, "ACC-2")


@pytest.mark.rule("SKYDD-1")
def test_place_withdrawal_for_protected_patient_from_wrong_unit_is_404(
    world: Any, protected_patient: Any
) -> None:
    p = f.make_prescription(
        patient=protected_patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    outsider = client_for(world.outsider, world.other_unit)
    assert_error(_post(outsider, _body(protected_patient, p)), 404, "not_found")
    assert not Withdrawal.objects.exists()


def test_read_withdrawal_is_audited(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    number = _post(prescriber_client, _body(world.patient, prescription)).json()["number"]
    r = prescriber_client.get(f"{URL}/{number}")
    assert r.status_code == 200, r.content
    assert r.json()["number"] == number
    assert r.json()["lines"][0]["quantity"] == 30
    event = AuditEvent.objects.get(action="withdrawals.withdrawal.read")
    assert event.patient_id == world.patient.pk


def test_read_missing_withdrawal_is_404(world: Any, prescriber_client: Client) -> None:
    assert_error(prescriber_client.get(f"{URL}/U99999999"), 404, "not_found")
    assert_error(prescriber_client.get(f"{URL}/nonsense"), 404, "not_found")


@pytest.mark.rule("SKYDD-1")
def test_read_withdrawal_of_protected_patient_from_wrong_unit_is_404(
    world: Any, protected_patient: Any
) -> None:
    p = f.make_prescription(
        patient=protected_patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    inside = client_for(world.prescriber, world.unit)
    # SKYDD-5: to the unit, c/o the person responsible there
    body = _body(protected_patient, p, destination="unit", care_of="Sjuksköterska Berg")
    number = _post(inside, body).json()["number"]
    outsider = client_for(world.outsider, world.other_unit)
    hidden = outsider.get(f"{URL}/{number}")
    missing = outsider.get(f"{URL}/U99999999")
    assert_error(hidden, 404, "not_found")
    assert hidden.content == missing.content
    assert inside.get(f"{URL}/{number}").status_code == 200
