"""Product-area permissions limit ordering (ACC-3) and express is the prescriber's (EXPR-6).

Areas are checked in the withdrawal's own rules, so the portal, the API and joint orders
refuse alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.core.actor import Role
from lmn.core.errors import DomainError
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.joint import JointOrderDraft, ResidentLines, place_joint_order
from lmn.withdrawals.models import JointOrder, Withdrawal
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

TUESDAY_0900 = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[Any]:
    with time_machine.travel(TUESDAY_0900, tick=False):
        yield


def _express(patient: Any, prescription: Any) -> Any:
    from lmn.delivery.details import DeliveryRequest

    return WithdrawalDraft(
        patient=patient,
        lines=[LineDraft(prescription.pk, 5)],
        delivery=DeliveryRequest(
            destination="door",
            speed="express",
            phone="0701234567",
            street="Storgatan 1",
            postcode="41301",
            city="Göteborg",
            name_on_door=True,
        ),
    )


@pytest.mark.rule("ACC-3")
def test_a_joint_order_line_outside_the_orderers_areas_is_refused(world: World) -> None:
    ward = f.make_ward()
    orderer = f.make_user(unit=ward, role=Role.ORDERER, areas=["diabetes"], joint_ordering=True)
    pads = f.make_product("incontinence", name="Inkontinensskydd Maxi")
    residents = [f.make_resident(ward, pnr) for pnr in f.PERSONNUMMER[1:3]]
    items = []
    for i, resident in enumerate(residents):
        product = pads if i == 0 else world.diabetes_product
        prescription = f.make_prescription(
            patient=resident, product=product, prescriber=world.prescriber, unit=world.unit
        )
        items.append(ResidentLines(patient=resident, lines=[LineDraft(prescription.pk, 10)]))

    with pytest.raises(DomainError) as refused:
        place_joint_order(
            JointOrderDraft(ward=ward, residents=items), actor=f.actor_of(orderer, ward)
        )

    assert [(p.code, p.field) for p in refused.value.problems] == [
        ("ACC-3", "residents[0].lines[0].prescription_id")
    ]
    assert "Inkontinens" in refused.value.problems[0].message
    assert not JointOrder.objects.exists() and not Withdrawal.objects.exists()


@pytest.mark.rule("EXPR-6")
def test_a_prescriber_without_nutrition_at_another_unit_may_not_order_express(world: World) -> None:
    stoma_nurse = f.make_user(unit=world.other_unit, areas=["stoma"])
    nutrition_rx = f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )

    with pytest.raises(DomainError) as refused:
        place_withdrawal(
            _express(world.patient, nutrition_rx), actor=f.actor_of(stoma_nurse, world.other_unit)
        )

    assert "EXPR-6" in [p.code for p in refused.value.problems]
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("EXPR-6")
def test_a_nutrition_prescriber_of_another_unit_may_not_order_express(world: World) -> None:
    other_dietitian = f.make_user(unit=world.other_unit, areas=["nutrition"])
    nutrition_rx = f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )
    f.in_care(world.patient, other_dietitian)  # sees the prescription (PDL-1), still no EXPR

    with pytest.raises(DomainError) as refused:
        place_withdrawal(
            _express(world.patient, nutrition_rx),
            actor=f.actor_of(other_dietitian, world.other_unit),
        )

    assert [p.code for p in refused.value.problems] == ["EXPR-6"]


@pytest.mark.rule("EXPR-6")
def test_the_nutrition_prescriber_at_the_prescribing_unit_orders_express(world: World) -> None:
    nutrition_rx = f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )

    withdrawal, _ = place_withdrawal(
        _express(world.patient, nutrition_rx), actor=f.actor_of(world.dietitian, world.unit)
    )

    assert withdrawal.speed == "express"
