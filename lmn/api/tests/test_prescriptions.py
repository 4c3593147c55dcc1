from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.audit.models import AuditEvent
from lmn.core import clock
from lmn.prescriptions.models import Prescription

URL = "/api/v1/prescriptions"


def _body(world: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "patient_id": world.patient.pk,
        "article_number": world.diabetes_product.article_number,
        "consumption": {"amount": 2, "per": "day"},
    }
    body.update(overrides)
    return body


@pytest.mark.rule("GEN-2")
def test_create_prescription_returns_reference_and_entitlement(
    world: Any, prescriber_client: Client
) -> None:
    # when a prescriber registers a prescription
    r = post_json(prescriber_client, URL, _body(world, instructions="Mät före måltid"))
    # then it is saved, with the reference to document in the journal
    assert r.status_code == 201, r.content
    body = r.json()
    saved = Prescription.objects.get()
    assert body["id"] == saved.pk
    assert body["reference"] == f"F{saved.pk:08d}"
    assert body["consumption"] == {"amount": 2, "per": "day"}
    assert body["valid_from"] == clock.today().isoformat()
    assert body["max_supply_days"] == 90
    assert body["entitlement"] == {"withdrawable_now": 180, "next_possible_date": None}
    assert AuditEvent.objects.filter(action="prescriptions.prescription.created").exists()


def test_create_prescription_with_dates(world: Any, prescriber_client: Client) -> None:
    start = clock.today() + dt.timedelta(days=10)
    r = post_json(
        prescriber_client,
        URL,
        _body(
            world,
            valid_from=start.isoformat(),
            valid_until=(start + dt.timedelta(days=100)).isoformat(),
            max_supply_days=30,
        ),
    )
    assert r.status_code == 201, r.content
    assert r.json()["entitlement"] == {
        "withdrawable_now": 0,
        "next_possible_date": start.isoformat(),
    }


def test_create_prescription_refusals_carry_domain_codes(
    world: Any, prescriber_client: Client
) -> None:
    r = post_json(
        prescriber_client,
        URL,
        _body(world, consumption={"amount": 0, "per": "day"}, valid_from="2000-01-01"),
    )
    body = assert_error(r, 422, "invalid_consumption")
    assert {"code": "date_in_past", "field": "valid_from"}.items() <= {
        k: v for e in body["errors"] if e["code"] == "date_in_past" for k, v in e.items()
    }.items()
    # no permission for the area (ACC-3): the prescriber lacks nutrition
    r = post_json(
        prescriber_client,
        URL,
        _body(world, article_number=world.nutrition_product.article_number),
    )
    assert_error(r, 422, "ACC-3")
    assert_error(
        post_json(prescriber_client, URL, _body(world, article_number="000")),
        422,
        "product_not_found",
    )


def test_orderer_may_not_prescribe(world: Any) -> None:
    orderer = client_for(world.orderer, world.ward)
    assert_error(post_json(orderer, URL, _body(world)), 403, "ACC-2")


@pytest.mark.rule("SKYDD-1")
def test_create_prescription_for_protected_patient_from_wrong_unit_is_404(
    world: Any, protected_patient: Any
) -> None:
    outsider = client_for(world.outsider, world.other_unit)
    r = post_json(outsider, URL, _body(world, patient_id=protected_patient.pk))
    assert_error(r, 404, "not_found")
    assert not Prescription.objects.exists()


def test_read_prescription_is_audited(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    r = prescriber_client.get(f"{URL}/{prescription.pk}")
    assert r.status_code == 200, r.content
    assert r.json()["reference"] == prescription.reference
    assert r.json()["entitlement"]["withdrawable_now"] == 90
    event = AuditEvent.objects.filter(action="prescriptions.prescription.read").get()
    assert event.patient_id == world.patient.pk
    assert event.object_id == str(prescription.pk)


def test_read_missing_prescription_is_404(world: Any, prescriber_client: Client) -> None:
    assert_error(prescriber_client.get(f"{URL}/424242"), 404, "not_found")
    assert AuditEvent.objects.filter(
        action="prescriptions.prescription.read", outcome="not_found"
    ).exists()


@pytest.mark.rule("SKYDD-1")
def test_read_prescription_of_protected_patient_from_wrong_unit_is_404(
    world: Any, protected_patient: Any
) -> None:
    from lmn.testing import factories as f

    p = f.make_prescription(
        patient=protected_patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    outsider = client_for(world.outsider, world.other_unit)
    hidden = outsider.get(f"{URL}/{p.pk}")
    missing = outsider.get(f"{URL}/{p.pk + 1000}")
    assert_error(hidden, 404, "not_found")
    assert hidden.content == missing.content
    assert client_for(world.prescriber, world.unit).get(f"{URL}/{p.pk}").status_code == 200
