"""Products outside the procured assortment (OOA-1..OOA-6) and patients from other regions
(CH-1, CH-2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lmn.audit.models import AuditEvent
from lmn.cases.followups import flag_out_of_assortment_deliveries, log_contact
from lmn.cases.models import Case, FollowUp
from lmn.cases.services import approve_case
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import WithdrawalFee
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_picked, mark_returned, mark_shipped


def codes(err: Any) -> Any:
    return {p.code for p in err.value.problems}


def distributor() -> Any:
    return Actor(role=Role.DISTRIBUTOR, hsa_id="distributor:test")


@pytest.fixture
def ooa_rx(world: World, ooa_product: Any, agent: Any) -> Any:
    case = f.make_case(
        "out_of_assortment",
        user=world.prescriber,
        unit=world.unit,
        product=ooa_product,
        patient=world.patient,
    )
    return approve_case(case, actor=agent).prescription


def order(world: World, rx: Any, **delivery: Any) -> Any:
    return place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(rx.pk, 10)],
            delivery=DeliveryRequest(**delivery),
        ),
        actor=world.actor(world.prescriber),
    )[0]


@pytest.mark.rule("OOA-1")
def test_a_product_outside_the_assortment_is_not_prescribed_directly(
    world: World, ooa_product: Any
) -> None:
    with pytest.raises(DomainError) as err:
        create_prescription(
            PrescriptionDraft(
                patient=world.patient,
                product=ooa_product,
                consumption_amount=1,
                consumption_period="day",
            ),
            actor=world.actor(world.prescriber),
        )
    assert codes(err) == {"OOA-1"}


@pytest.mark.rule("OOA-1")
@pytest.mark.parametrize("justification", ["", "   ", "\n\t "])
def test_the_justification_is_mandatory(world: World, ooa_product: Any, justification: Any) -> None:
    with pytest.raises(DomainError) as err:
        f.make_case(
            "out_of_assortment",
            user=world.prescriber,
            unit=world.unit,
            product=ooa_product,
            patient=world.patient,
            justification=justification,
        )
    assert codes(err) == {"OOA-1"}
    assert not Case.objects.exists()


@pytest.mark.rule("OOA-1")
def test_approved_the_prescription_exists(world: World, ooa_rx: Any, ooa_product: Any) -> None:
    assert ooa_rx.product == ooa_product and ooa_rx.patient == world.patient
    assert ooa_rx.unit == world.unit


@pytest.mark.rule("OOA-4")
def test_no_emergency_delivery(world: World, ooa_rx: Any) -> None:
    with pytest.raises(DomainError) as err:
        order(world, ooa_rx, speed="emergency", phone="0701234567")
    assert "AKUT-2" in codes(err)


@pytest.mark.rule("OOA-3")
@pytest.mark.rule("OOA-6")
def test_each_withdrawal_costs_extra_and_promises_a_long_delivery(
    world: World, ooa_rx: Any
) -> None:
    w = order(world, ooa_rx)
    fee = WithdrawalFee.objects.get(withdrawal=w)
    assert (fee.kind, fee.amount_sek) == ("out_of_assortment", Decimal("300.00"))
    placed_on = w.placed_at.date()
    assert w.promised_delivery_date >= placed_on + dt.timedelta(days=14)
    assert "förlängd leveranstid" in w.promise_note and "kundtjänst" in w.promise_note


@pytest.mark.rule("OOA-3")
def test_long_deliveries_are_flagged_once_and_contacts_logged(
    world: World, ooa_rx: Any, agent: Any
) -> None:
    w = order(world, ooa_rx)
    quick = f.make_product("incontinence", procured=False, stocked=False)
    quick.lead_time_days = 7
    quick.save()
    rx2 = f.make_prescription(
        patient=world.patient, product=quick, prescriber=world.prescriber, unit=world.unit
    )
    order(world, rx2)  # within 10 days: no follow-up
    flagged = flag_out_of_assortment_deliveries()
    assert [fu.withdrawal for fu in flagged] == [w]
    assert flag_out_of_assortment_deliveries() == []  # idempotent
    follow_up = FollowUp.objects.get()
    log_contact(follow_up, party="prescriber", channel="email", note="Informerat", actor=agent)
    follow_up.refresh_from_db()
    assert follow_up.closed_at is None
    log_contact(follow_up, party="patient", channel="phone", actor=agent)
    follow_up.refresh_from_db()
    assert follow_up.closed_at is not None
    assert AuditEvent.objects.filter(action="cases.followup.contacted").count() == 2


@pytest.mark.rule("OOA-5")
def test_products_outside_the_assortment_cannot_be_returned(world: World, ooa_rx: Any) -> None:
    w = order(world, ooa_rx)
    mark_picked(w, actor=distributor())
    mark_shipped(w, actor=distributor())
    with pytest.raises(DomainError) as err:
        mark_returned(w, reason="refused", actor=distributor())
    assert codes(err) == {"OOA-5"}
    w.refresh_from_db()
    assert w.status == "shipped"
    assert not WithdrawalFee.objects.filter(withdrawal=w, kind="return").exists()


@pytest.mark.rule("CH-1")
def test_outside_region_incontinence_goes_by_case_and_is_prescribed_when_approved(
    world: World, agent: Any
) -> None:
    visitor = f.make_patient(f.PERSONNUMMER[3], resident_region="OTHER", region_name="Skåne")
    incontinence = f.make_product("incontinence")
    with pytest.raises(DomainError) as err:
        create_prescription(
            PrescriptionDraft(
                patient=visitor,
                product=incontinence,
                consumption_amount=1,
                consumption_period="day",
            ),
            actor=world.actor(world.prescriber),
        )
    assert codes(err) == {"CH-1"}
    case = f.make_case(
        "outside_region",
        user=world.prescriber,
        unit=world.unit,
        product=incontinence,
        patient=visitor,
    )
    rx = approve_case(case, actor=agent).prescription
    assert (rx.patient, rx.product) == (visitor, incontinence)


@pytest.mark.rule("CH-1")
def test_an_outside_region_case_for_a_patient_in_the_region_is_refused(world: World) -> None:
    with pytest.raises(DomainError) as err:
        f.make_case(
            "outside_region",
            user=world.prescriber,
            unit=world.unit,
            product=f.make_product("incontinence"),
            patient=world.patient,
        )
    assert codes(err) == {"patient_in_region"}


@pytest.mark.rule("CH-2")
def test_diabetes_and_stoma_outside_the_region_are_refused_even_by_case(world: World) -> None:
    visitor = f.make_patient(f.PERSONNUMMER[3], resident_region="OTHER")
    for product in (world.diabetes_product, f.make_product("stoma")):
        with pytest.raises(DomainError) as err:
            f.make_case(
                "outside_region",
                user=world.prescriber,
                unit=world.unit,
                product=product,
                patient=visitor,
            )
        assert codes(err) == {"CH-2"}
        assert "hjälpmedelskort" in err.value.problems[0].message
    assert not Case.objects.exists()
