"""Placing withdrawals against prescriptions (GEN-1, GEN-3, GEN-4, GEN-5, GEN-7, UNIT-2)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.audit.models import AuditEvent
from lmn.core.errors import DomainError, PermissionDenied
from lmn.delivery.details import DeliveryRequest
from lmn.organisations.models import UnitPayer
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal, WithdrawalLine
from lmn.withdrawals.queries import entitlement_for
from lmn.withdrawals.services import (
    IdempotencyConflict,
    LineDraft,
    WithdrawalDraft,
    place_withdrawal,
    transition,
)

# A Friday morning in Stockholm, with the first Advent weekend ahead
FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def friday() -> Iterator[Any]:
    """Prescriptions and orders on one known Friday, whatever day the tests run."""
    with time_machine.travel(FRIDAY, tick=False):
        yield


@pytest.fixture
def rx(world: World) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=4,
        per="day",
    )


def place(
    world: World,
    rx: Any,
    quantity: Any,
    *,
    user: Any = None,
    unit: Any = None,
    delivery: Any = None,
    key: Any = None,
) -> Any:
    actor = world.actor(user or world.prescriber, unit)
    draft = WithdrawalDraft(
        patient=world.patient,
        lines=[LineDraft(prescription_id=rx.pk, quantity=quantity)],
        delivery=delivery or DeliveryRequest(),
    )
    return place_withdrawal(draft, actor=actor, idempotency_key=key)[0]


@pytest.mark.rule("GEN-3")
def test_a_withdrawal_up_to_the_entitlement_is_accepted_and_numbered(world: World, rx: Any) -> None:
    w = place(world, rx, 360)
    assert re.fullmatch(r"U\d{8}", w.number)
    assert entitlement_for(rx).withdrawable_now == 0
    assert w.lines.get().quantity == 360


@pytest.mark.rule("GEN-3")
def test_more_than_the_prescription_allows_is_refused_and_nothing_is_saved(
    world: World, rx: Any
) -> None:
    with pytest.raises(DomainError) as refused:
        place(world, rx, 361)
    assert refused.value.code == "GEN-3"
    assert "360" in refused.value.problems[0].message
    assert Withdrawal.objects.count() == 0


@pytest.mark.rule("GEN-3")
def test_an_early_withdrawal_is_refused_with_the_date_it_becomes_possible(
    world: World, rx: Any
) -> None:
    with time_machine.travel(FRIDAY, tick=False):
        place(world, rx, 360)
        with pytest.raises(DomainError) as refused:
            place(world, rx, 1)
    # 90 days covered from 27 Nov; possible again 30 days before that ends
    assert refused.value.code == "GEN-3"
    assert "2027-01-26" in refused.value.problems[0].message


@pytest.mark.rule("GEN-3")
def test_a_cancelled_withdrawal_no_longer_counts(world: World, rx: Any) -> None:
    w = place(world, rx, 360)
    transition(w, "cancelled", actor=world.actor(world.prescriber))
    assert entitlement_for(rx).withdrawable_now == 360


@pytest.mark.rule("GEN-4")
def test_someone_other_than_the_prescriber_can_order(world: World, rx: Any) -> None:
    """An orderer on a ward (in the patient's care: PDL-1) and customer service place
    withdrawals on saved prescriptions."""
    f.in_care(world.patient, world.orderer)
    w1 = place(world, rx, 100, user=world.orderer)
    w2 = place(world, rx, 100, user=world.customer_service)
    assert w1.ordered_by == world.orderer and w2.ordered_by == world.customer_service


@pytest.mark.rule("GEN-5")
def test_delivery_details_are_given_by_whoever_orders(world: World, rx: Any) -> None:
    delivery = DeliveryRequest(
        street="Sommarvägen 3",
        postcode="452 31",
        city="Strömstad",
        care_of="Anna Berg",
        door_code="1234#",
        phone="070-123 45 67",
    )
    f.in_care(world.patient, world.orderer)
    w = place(world, rx, 10, user=world.orderer, delivery=delivery)
    assert (w.street, w.postcode, w.care_of, w.door_code, w.phone) == (
        "Sommarvägen 3",
        "45231",
        "Anna Berg",
        "1234#",
        "+46701234567",
    )


@pytest.mark.rule("GEN-5")
def test_without_an_address_the_registered_address_is_used(world: World, rx: Any) -> None:
    w = place(world, rx, 10)
    assert (w.street, w.postcode, w.city) == ("Storgatan 1", "41301", "Göteborg")


@pytest.mark.rule("GEN-5")
def test_bad_delivery_details_are_refused_with_every_problem_named(world: World, rx: Any) -> None:
    delivery = DeliveryRequest(
        street="x", postcode="00000", city="y", door_code="9" * 200, phone="12"
    )
    with pytest.raises(DomainError) as refused:
        place(world, rx, 10, delivery=delivery)
    codes = {p.code for p in refused.value.problems}
    assert {"invalid_postcode", "too_long", "invalid_phone"} <= codes
    assert Withdrawal.objects.count() == 0


@pytest.mark.rule("GEN-7")
def test_standard_delivery_inside_the_region_is_promised_within_five_working_days(
    world: World, rx: Any
) -> None:
    with time_machine.travel(FRIDAY, tick=False):
        w = place(world, rx, 10)
    # Friday 27 Nov → Mon 30, Tue 1, Wed 2, Thu 3, Fri 4 December
    assert w.promised_delivery_date == dt.date(2026, 12, 4)


@pytest.mark.rule("GEN-7")
def test_outside_the_region_no_five_day_promise_is_made(world: World) -> None:
    halland = f.make_patient(
        f.PERSONNUMMER[3], resident_region="HALLAND", postcode="30246", city="Halmstad"
    )
    # Patients outside Västra Götaland get prescriptions by form (CH-1), saved directly here
    rx = Prescription.objects.create(
        patient=halland,
        product=world.diabetes_product,
        unit=world.unit,
        prescriber=world.prescriber,
        consumption_amount=1,
        consumption_period="day",
        valid_from=dt.date.today(),
        valid_until=dt.date.today() + dt.timedelta(days=300),
        max_supply_days=90,
    )
    w = place_withdrawal(
        WithdrawalDraft(patient=halland, lines=[LineDraft(rx.pk, 10)]),
        actor=world.actor(world.prescriber),
    )[0]
    assert w.promised_delivery_date is None
    assert "garanteras inte" in w.promise_note


@pytest.mark.rule("GEN-1")
@pytest.mark.rule("UNIT-2")
def test_each_line_is_charged_to_the_payer_of_its_product_area(world: World) -> None:
    """One patient's withdrawal with two areas: each line lands on that area's payer."""
    diabetes = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    nutrition = f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )
    w = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(diabetes.pk, 10), LineDraft(nutrition.pk, 10)],
        ),
        actor=world.actor(world.doctor),  # holds both areas (ACC-3)
    )[0]
    payers = {line.product.area.code: line.payer for line in w.lines.all()}
    expected = {up.product_area.code: up.payer for up in UnitPayer.objects.filter(unit=world.unit)}
    assert payers["diabetes"] == expected["diabetes"]
    assert payers["nutrition"] == expected["nutrition"]
    assert payers["diabetes"] != payers["nutrition"]
    assert w.patient == world.patient  # one patient per withdrawal (GEN-1)


@pytest.mark.rule("GEN-1")
def test_a_line_for_another_patients_prescription_is_refused(world: World, rx: Any) -> None:
    other = f.make_patient(f.PERSONNUMMER[2])
    with pytest.raises(DomainError) as refused:
        place_withdrawal(
            WithdrawalDraft(patient=other, lines=[LineDraft(rx.pk, 1)]),
            actor=world.actor(world.prescriber),
        )
    assert refused.value.code == "prescription_not_found"


def test_same_idempotency_key_returns_the_first_withdrawal(world: World, rx: Any) -> None:
    first = place(world, rx, 10, key="k-1")
    again = place(world, rx, 10, key="k-1")
    assert again.pk == first.pk
    assert WithdrawalLine.objects.count() == 1
    with pytest.raises(IdempotencyConflict):
        place(world, rx, 11, key="k-1")


def test_placing_writes_an_audit_event_naming_patient_and_actor(world: World, rx: Any) -> None:
    w = place(world, rx, 10)
    event = AuditEvent.objects.get(action="withdrawals.withdrawal.placed")
    assert event.patient_id == world.patient.pk
    assert event.actor_hsa_id == world.prescriber.hsa_id
    assert event.unit_number == "602154"
    assert event.object_id == str(w.pk)


@pytest.mark.rule("ACC-2")
def test_roles_without_ordering_rights_cannot_order(world: World, rx: Any) -> None:
    auditor = f.make_user(role="granskare", unit=None)
    with pytest.raises(PermissionDenied):
        place(world, rx, 1, user=auditor)
