"""Moving a prescription to another unit (RX-4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.audit.models import AuditEvent
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest
from lmn.organisations.models import UnitPayer
from lmn.prescriptions.lifecycle import PrescriptionChange, change_prescription
from lmn.prescriptions.models import Prescription, PrescriptionMove
from lmn.prescriptions.moves import (
    accept_move,
    decline_move,
    moves_to_accept,
    request_move,
    withdraw_move,
)
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Iterator[Any]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def home_care(world: World) -> Any:
    unit = f.make_unit("605100", name="Hemsjukvården Kommunen", kind="home_care")
    f.make_user("sjukskoterska", unit=unit, areas=["diabetes"])
    return unit


def prescribe(world: World) -> Prescription:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


def nurse(home_care: Any) -> Any:
    return f.actor_of(home_care.memberships.get().user, home_care)


def withdraw(world: World, p: Prescription, quantity: int) -> Any:
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient, lines=[LineDraft(p.pk, quantity)], delivery=DeliveryRequest()
        ),
        actor=world.actor(world.prescriber),
    )
    return w


@pytest.mark.rule("RX-4")
def test_a_move_waits_for_the_receiving_unit_then_later_withdrawals_pay_there(
    world: World, home_care: Any
) -> None:
    p = prescribe(world)
    before = withdraw(world, p, 10)
    move = request_move(
        p, to_unit=home_care, based_on_version=1, actor=world.actor(world.prescriber)
    )
    # nothing moves until accepted
    assert Prescription.objects.get(pk=p.pk).unit == world.unit
    assert list(moves_to_accept(nurse(home_care))) == [move]
    moved = accept_move(move, actor=nurse(home_care))
    assert (moved.unit, moved.version) == (home_care, 2)
    assert moved.versions.get(number=2).kind == "moved"
    area = world.diabetes_product.area
    new_payer = UnitPayer.objects.get(unit=home_care, product_area=area).payer
    old_payer = UnitPayer.objects.get(unit=world.unit, product_area=area).payer
    # the withdrawal placed before the move keeps its payer; the next one is the new unit's
    assert before.lines.get().payer == old_payer
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        after, _ = place_withdrawal(
            WithdrawalDraft(
                patient=world.patient, lines=[LineDraft(p.pk, 10)], delivery=DeliveryRequest()
            ),
            actor=nurse(home_care),
        )
    assert after.lines.get().payer == new_payer
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"prescriptions.move.requested", "prescriptions.move.accepted"} <= actions


@pytest.mark.rule("RX-4")
def test_only_the_receiving_units_prescriber_accepts(world: World, home_care: Any) -> None:
    p = prescribe(world)
    move = request_move(
        p, to_unit=home_care, based_on_version=1, actor=world.actor(world.prescriber)
    )
    for actor in (world.actor(world.prescriber), world.actor(world.outsider)):
        with pytest.raises(DomainError) as refused:
            accept_move(move, actor=actor)
        assert refused.value.code == "not_receiving_unit"
    assert list(moves_to_accept(world.actor(world.outsider))) == []
    assert Prescription.objects.get(pk=p.pk).unit == world.unit


@pytest.mark.rule("RX-4")
def test_a_unit_without_a_payer_or_a_prescriber_for_the_area_cannot_receive(
    world: World,
) -> None:
    p = prescribe(world)
    bare = f.make_unit("605200", name="Ny enhet", payer_per_area=False)
    with pytest.raises(DomainError) as refused:
        request_move(p, to_unit=bare, based_on_version=1, actor=world.actor(world.prescriber))
    codes = {problem.code for problem in refused.value.problems}
    assert codes == {"unit_lacks_payer", "unit_lacks_prescriber"}
    assert not PrescriptionMove.objects.exists()


@pytest.mark.rule("RX-4")
def test_declined_or_withdrawn_moves_leave_the_prescription_where_it_was(
    world: World, home_care: Any
) -> None:
    p = prescribe(world)
    first = request_move(
        p, to_unit=home_care, based_on_version=1, actor=world.actor(world.prescriber)
    )
    with pytest.raises(DomainError) as twice:
        request_move(p, to_unit=home_care, based_on_version=1, actor=world.actor(world.prescriber))
    assert twice.value.code == "move_pending"
    decline_move(first, actor=nurse(home_care))
    second = request_move(
        p, to_unit=home_care, based_on_version=1, actor=world.actor(world.prescriber)
    )
    withdraw_move(second, actor=world.actor(world.prescriber))
    with pytest.raises(DomainError) as late:
        accept_move(second, actor=nurse(home_care))
    assert late.value.code == "move_decided"
    assert Prescription.objects.get(pk=p.pk).unit == world.unit


@pytest.mark.rule("RX-4")
def test_a_move_accepted_after_a_change_still_moves_the_current_version(
    world: World, home_care: Any
) -> None:
    p = prescribe(world)
    move = request_move(
        p, to_unit=home_care, based_on_version=1, actor=world.actor(world.prescriber)
    )
    change_prescription(
        p,
        PrescriptionChange(1, 3, "day", p.valid_until, 90),
        actor=world.actor(world.prescriber),
    )
    moved = accept_move(move, actor=nurse(home_care))
    assert (moved.version, moved.consumption_amount, moved.unit) == (3, 3, home_care)


def test_a_protected_identity_is_not_moved_out_of_its_unit(world: World, home_care: Any) -> None:
    p = prescribe(world)
    world.patient.protected = True
    world.patient.protected_unit = world.unit
    world.patient.save()
    with pytest.raises(DomainError) as refused:
        request_move(
            Prescription.objects.get(pk=p.pk), to_unit=home_care, based_on_version=1,
            actor=world.actor(world.prescriber),
        )  # fmt: skip
    assert refused.value.code == "protected_identity"
