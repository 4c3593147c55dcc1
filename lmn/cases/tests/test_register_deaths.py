"""The register reports a patient deceased (PAT-1): open withdrawals stop, customer
service is told, a parcel on its way comes back free of charge, prescriptions end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.cases.followups import open_follow_ups
from lmn.cases.jobs import run_case_jobs
from lmn.core.actor import Role
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest
from lmn.patients.models import RegisterRecord
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal, WithdrawalFee
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_picked, mark_returned, mark_shipped


@pytest.fixture
def deceased(world: Any) -> dict[str, Any]:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    depot = world.actor(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None))
    placed, picked, shipped = (
        place_withdrawal(
            WithdrawalDraft(
                patient=world.patient, lines=[LineDraft(rx.pk, 5)], delivery=DeliveryRequest()
            ),
            actor=world.actor(world.prescriber),
        )[0]
        for _ in range(3)
    )
    mark_picked(picked, actor=depot)
    mark_shipped(mark_picked(shipped, actor=depot), actor=depot)
    f.register_person(world.patient.identifier, deceased_on=dt.date(2026, 11, 20))
    first = run_case_jobs()
    return {
        "rx": rx,
        "depot": depot,
        "placed": placed,
        "picked": picked,
        "shipped": shipped,
        "first_run": first,
    }


@pytest.mark.rule("PAT-1")
def test_a_death_in_the_register_stops_open_withdrawals_and_tells_customer_service(
    world: World, deceased: dict[str, Any]
) -> None:
    assert deceased["first_run"]["deceased"] == 1
    status = {k: Withdrawal.objects.get(pk=deceased[k].pk).status for k in ("placed", "picked")}
    assert status == {"placed": "cancelled", "picked": "picked"}
    told = open_follow_ups(actor=world.actor(world.customer_service))
    assert sorted(u.withdrawal.number for u in told if u.kind == "deceased") == sorted(
        deceased[k].number for k in ("placed", "picked", "shipped")
    )
    again = run_case_jobs()
    assert (again["deceased"], again["stopped"], again["prescriptions_ended"]) == (0, 0, 0)


@pytest.mark.rule("PAT-1")
def test_a_parcel_on_its_way_comes_back_free_of_charge(
    world: World, deceased: dict[str, Any]
) -> None:
    returned = mark_returned(deceased["shipped"], reason="refused", actor=deceased["depot"])
    assert returned.status == "returned"
    assert not WithdrawalFee.objects.filter(withdrawal=returned, kind="return").exists()


@pytest.mark.rule("PAT-1")
def test_the_prescriptions_of_a_deceased_patient_end_and_no_new_one_is_made(
    world: World, deceased: dict[str, Any]
) -> None:
    rx = Prescription.objects.get(pk=deceased["rx"].pk)
    # the history shows the system's ending as its own version (RX-3)
    assert rx.versions.get(number=rx.version).kind == "ended"
    assert rx.status == "ended"
    event = AuditEvent.objects.get(action="prescriptions.prescription.ended")
    assert (event.patient_id, event.data["reason"]) == (world.patient.pk, "deceased")
    assert AuditEvent.objects.filter(action="patients.patient.deceased").count() == 1
    world.patient.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        create_prescription(
            PrescriptionDraft(
                patient=world.patient,
                product=world.diabetes_product,
                consumption_amount=1,
                consumption_period="day",
            ),
            actor=world.actor(world.prescriber),
        )
    assert "patient_deceased" in {p.code for p in refused.value.problems}
    assert RegisterRecord.objects.get(identifier=world.patient.identifier).deceased_on


@pytest.mark.rule("PAT-1")
def test_the_patient_page_says_the_patient_has_died(
    client: Client, world: World, deceased: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the CON-3 e-mail gate is another page's business
    monkeypatch.setattr("lmn.web.middleware.email_gate_closed", lambda actor, *, today: False)
    client.force_login(world.prescriber)
    html = client.get(reverse("web:patient", args=[world.patient.pk])).content.decode()
    assert "Patienten har avlidit" in html and "2026-11-20" in html
    assert "Avslutad" in html  # the prescription's status
