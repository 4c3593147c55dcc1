"""Joint orders for special housing and the ward overview (SAM-1..SAM-4, AKUT-7, GEN-1)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.organisations.models import UnitPayer
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.joint import (
    JointOrderDraft,
    ResidentLines,
    place_joint_order,
)
from lmn.withdrawals.models import JointOrder, Withdrawal, WithdrawalLine
from lmn.withdrawals.queries import joint_order_visible_to
from lmn.withdrawals.services import LineDraft
from lmn.withdrawals.ward_overview import ward_overview

FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def friday() -> Iterator[Any]:
    with time_machine.travel(FRIDAY, tick=False):
        yield


@pytest.fixture
def ward(world: World) -> Any:
    world.ward.delivery_place = "Godsmottagningen, entréplan"
    world.ward.save()
    return world.ward


@pytest.fixture
def residents(world: World, ward: Any) -> Any:
    return [f.make_resident(ward, pnr) for pnr in f.PERSONNUMMER[1:4]]


def rx(
    world: World,
    patient: Any,
    product: Any = None,
    *,
    prescriber: Any = None,
    unit: Any = None,
    amount: Any = 2,
) -> Any:
    return f.make_prescription(
        patient=patient,
        product=product or world.diabetes_product,
        prescriber=prescriber or world.prescriber,
        unit=unit or world.unit,
        amount=amount,
    )


def item(prescription: Any, quantity: Any = 10) -> Any:
    return ResidentLines(patient=prescription.patient, lines=[LineDraft(prescription.pk, quantity)])


def joint(world: World, ward: Any, items: Any, *, user: Any = None, speed: Any = "standard") -> Any:
    actor = f.actor_of(user or world.orderer, ward)
    return place_joint_order(JointOrderDraft(ward=ward, residents=items, speed=speed), actor=actor)


def refusals() -> Any:
    return AuditEvent.objects.filter(action="withdrawals.joint_order.placed").exclude(outcome="ok")


@pytest.mark.rule("SAM-1")
@pytest.mark.rule("SAM-3")
@pytest.mark.rule("GEN-1")
def test_one_joint_order_gives_each_resident_an_individual_withdrawal_to_the_ward(
    world: World, ward: Any, residents: Any
) -> None:
    items = [item(rx(world, p)) for p in residents]

    order = joint(world, ward, items)

    assert re.fullmatch(r"S\d{8}", order.number)
    withdrawals = list(order.withdrawals.order_by("patient_id"))
    assert [w.patient for w in withdrawals] == sorted(residents, key=lambda p: p.pk)
    for w in withdrawals:
        assert re.fullmatch(r"U\d{8}", w.number)
        assert w.destination == "unit" and w.speed == "standard"
        assert (w.street, w.postcode) == (ward.street, ward.postcode)
        assert "dagtid" in w.promise_note and "Godsmottagningen, entréplan" in w.promise_note
        assert w.promised_delivery_date == order.promised_delivery_date
        assert w.ordering_unit == ward and w.ordered_by_role == Role.ORDERER
    assert order.delivery_place == "Godsmottagningen, entréplan"
    assert AuditEvent.objects.filter(action="withdrawals.withdrawal.placed").count() == 3
    event = AuditEvent.objects.get(action="withdrawals.joint_order.placed")
    assert event.data["withdrawals"] == [w.number for w in withdrawals]


@pytest.mark.rule("GEN-1")
@pytest.mark.rule("UNIT-2")
def test_each_line_is_charged_to_the_payer_of_its_own_prescribing_unit(
    world: World, ward: Any, residents: Any
) -> None:
    first = rx(world, residents[0])
    second = rx(world, residents[1], prescriber=world.outsider, unit=world.other_unit)

    joint(world, ward, [item(first), item(second)])

    def payer_of(unit: Any) -> Any:
        return UnitPayer.objects.get(unit=unit, product_area__code="diabetes").payer

    line_payers = {line.withdrawal.patient_id: line.payer for line in WithdrawalLine.objects.all()}
    assert line_payers[residents[0].pk] == payer_of(world.unit)
    assert line_payers[residents[1].pk] == payer_of(world.other_unit)


@pytest.mark.rule("SAM-2")
def test_residents_of_another_ward_cannot_join_the_order(world: World, ward: Any) -> None:
    other_ward = f.make_ward("603002")
    here = f.make_resident(ward, f.PERSONNUMMER[1])
    there = f.make_resident(other_ward, f.PERSONNUMMER[2])
    with pytest.raises(DomainError) as refused:
        joint(world, ward, [item(rx(world, here)), item(rx(world, there))])
    assert [p.code for p in refused.value.problems] == ["SAM-2"]
    assert refused.value.problems[0].field == "residents[1].patient"
    assert not Withdrawal.objects.exists() and not JointOrder.objects.exists()
    assert refusals().get().data["codes"] == ["SAM-2"]


@pytest.mark.rule("SAM-1")
def test_a_patient_not_living_on_the_ward_is_refused(
    world: World, ward: Any, residents: Any
) -> None:
    outsider_patient = f.make_patient(f.PERSONNUMMER[4])
    with pytest.raises(DomainError) as refused:
        joint(world, ward, [item(rx(world, residents[0])), item(rx(world, outsider_patient))])
    assert refused.value.code == "SAM-1"
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-4")
@pytest.mark.parametrize("area", ["nutrition", "tube_feeding"])
def test_a_joint_order_never_includes_nutrition(
    world: World, ward: Any, residents: Any, area: Any
) -> None:
    product = f.make_product(area)
    nutrition_rx = rx(world, residents[1], product, prescriber=world.dietitian)
    with pytest.raises(DomainError) as refused:
        joint(world, ward, [item(rx(world, residents[0])), item(nutrition_rx)])
    assert [p.code for p in refused.value.problems] == ["SAM-4"]
    assert refused.value.problems[0].field == "residents[1].lines[0].prescription_id"
    assert not Withdrawal.objects.exists() and not JointOrder.objects.exists()
    assert refusals().count() == 1


@pytest.mark.rule("SAM-4")
def test_joint_ordering_needs_the_permission(world: World, ward: Any, residents: Any) -> None:
    plain = f.make_user(unit=ward, role=Role.ORDERER, joint_ordering=False)
    with pytest.raises(PermissionDenied) as refused:
        joint(world, ward, [item(rx(world, p)) for p in residents], user=plain)
    assert refused.value.code == "SAM-4"
    assert not Withdrawal.objects.exists()
    assert refusals().get().outcome == "denied"


@pytest.mark.rule("AKUT-7")
def test_there_is_no_joint_emergency_order(world: World, ward: Any, residents: Any) -> None:
    with pytest.raises(DomainError) as refused:
        joint(world, ward, [item(rx(world, p)) for p in residents], speed="emergency")
    assert refused.value.code == "AKUT-7"
    assert not Withdrawal.objects.exists()
    assert refusals().get().data["codes"] == ["AKUT-7"]


@pytest.mark.rule("EXPR-1")
def test_an_orderer_cannot_order_express_jointly(world: World, ward: Any, residents: Any) -> None:
    with pytest.raises(DomainError) as refused:
        joint(world, ward, [item(rx(world, p)) for p in residents], speed="express")
    assert refused.value.code == "EXPR-1"
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-1")
def test_a_joint_order_is_for_several_patients(world: World, ward: Any, residents: Any) -> None:
    with pytest.raises(DomainError) as refused:
        joint(world, ward, [item(rx(world, residents[0]))])
    assert refused.value.code == "SAM-1"


@pytest.mark.rule("SAM-3")
def test_a_ward_without_a_designated_place_cannot_joint_order(
    world: World, ward: Any, residents: Any
) -> None:
    ward.delivery_place = ""
    ward.save()
    with pytest.raises(DomainError) as refused:
        joint(world, ward, [item(rx(world, p)) for p in residents[:2]])
    assert refused.value.code == "SAM-3"


@pytest.mark.rule("SAM-1")
@pytest.mark.rule("GEN-3")
def test_one_resident_over_the_entitlement_stops_the_whole_order(
    world: World, ward: Any, residents: Any
) -> None:
    ok = item(rx(world, residents[0]))
    too_much = item(rx(world, residents[1], amount=1), quantity=1000)
    with pytest.raises(DomainError) as refused:
        joint(world, ward, [ok, too_much])
    assert refused.value.code == "GEN-3"
    assert refused.value.problems[0].field == "residents[1].lines[0].quantity"
    assert not Withdrawal.objects.exists() and not JointOrder.objects.exists()


@pytest.mark.rule("SAM-1")
def test_a_failure_while_placing_rolls_every_withdrawal_back(
    world: World, ward: Any, residents: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lmn.withdrawals import joint as joint_module

    items = [item(rx(world, p)) for p in residents]
    calls = []
    real_place = getattr(joint_module, "_place")

    def place_then_fail(draft: Any, *, actor: Any, joint_order: Any = None) -> Any:
        calls.append(draft.patient.pk)
        if len(calls) == 3:
            raise DomainError.single("GEN-3", "Räcker inte längre.")
        return real_place(draft, actor=actor, joint_order=joint_order)

    monkeypatch.setattr(joint_module, "_place", place_then_fail)
    with pytest.raises(DomainError):
        joint(world, ward, items)
    assert len(calls) == 3
    assert not Withdrawal.objects.exists() and not JointOrder.objects.exists()
    assert refusals().count() == 1


@pytest.mark.rule("SAM-2")
def test_an_orderer_cannot_joint_order_for_a_ward_they_do_not_act_in(
    world: World, ward: Any, residents: Any
) -> None:
    other_ward = f.make_ward("603002")
    with pytest.raises(NotFound):
        place_joint_order(
            JointOrderDraft(ward=other_ward, residents=[item(rx(world, p)) for p in residents]),
            actor=f.actor_of(world.orderer, ward),
        )
    assert not Withdrawal.objects.exists()
    assert refusals().get().outcome == "not_found"


@pytest.mark.rule("SKYDD-1")
def test_a_protected_resident_of_another_unit_answers_like_a_missing_one(
    world: World, ward: Any, residents: Any
) -> None:
    hidden = f.make_resident(
        ward, f.PERSONNUMMER[4], protected=True, protected_unit=world.other_unit
    )
    with pytest.raises(NotFound):
        joint(world, ward, [item(rx(world, residents[0])), item(rx(world, hidden))])
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-1")
@pytest.mark.rule("SAM-4")
def test_the_ward_overview_lists_residents_with_what_each_may_withdraw_now(
    world: World, ward: Any, residents: Any
) -> None:
    stranger = f.make_patient(f.PERSONNUMMER[4])  # not a resident
    rx(world, stranger)
    diabetes = rx(world, residents[0], amount=1)
    nutrition = rx(world, residents[0], world.nutrition_product, prescriber=world.dietitian)
    joint(world, ward, [item(diabetes, 90), item(rx(world, residents[1]))])

    overview = ward_overview(ward, actor=f.actor_of(world.orderer, ward))

    assert {r.patient for r in overview} == set(residents)
    first = next(r for r in overview if r.patient == residents[0])
    rows = {row.prescription: row for row in first.prescriptions}
    assert rows[diabetes].entitlement.withdrawable_now == 0
    assert rows[diabetes].entitlement.next_possible_date is not None
    assert rows[diabetes].joint_allowed and not rows[nutrition].joint_allowed
    assert first.last_withdrawal.joint_order is not None
    event = AuditEvent.objects.get(action="withdrawals.ward_overview.read")
    assert sorted(event.data["patients"]) == sorted(p.pk for p in residents)


@pytest.mark.rule("SAM-1")
def test_the_ward_overview_is_only_for_the_ward_one_acts_in(
    world: World, ward: Any, residents: Any
) -> None:
    with pytest.raises(NotFound):
        ward_overview(ward, actor=f.actor_of(world.prescriber, world.unit))
    with pytest.raises(PermissionDenied):
        ward_overview(ward, actor=f.actor_of(f.make_head(ward), ward))
    assert (
        AuditEvent.objects.filter(action="withdrawals.ward_overview.read")
        .exclude(outcome="ok")
        .count()
        == 2
    )


@pytest.mark.rule("SAM-1")
def test_a_joint_order_is_read_by_its_own_ward_only_and_every_read_is_audited(
    world: World, ward: Any, residents: Any
) -> None:
    order = joint(world, ward, [item(rx(world, p)) for p in residents])
    read = joint_order_visible_to(f.actor_of(world.orderer, ward), order.number, channel="api")
    assert read.order == order
    assert {w.patient_id for w in read.withdrawals} == {p.pk for p in residents}
    seen = AuditEvent.objects.get(action="withdrawals.joint_order.read", outcome="ok")
    assert sorted(seen.data["patients"]) == sorted(p.pk for p in residents)
    with pytest.raises(NotFound):  # another unit's staff: as if it did not exist
        joint_order_visible_to(f.actor_of(world.prescriber, world.unit), order.number)
    with pytest.raises(NotFound):
        joint_order_visible_to(f.actor_of(world.orderer, ward), "S99999999")
    misses = AuditEvent.objects.filter(action="withdrawals.joint_order.read", outcome="not_found")
    assert misses.count() == 2


@pytest.mark.rule("SAM-1")
@pytest.mark.rule("GEN-3")
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_joint_and_single_orders_never_overdraw_nor_deadlock() -> None:
    import threading

    from django.db import connection

    from lmn.delivery.details import DeliveryRequest
    from lmn.withdrawals.services import WithdrawalDraft, place_withdrawal

    for code in f.ALL_AREAS:
        f.area(code)
    unit = f.make_unit("602154")
    ward = f.make_ward("603001")
    prescriber = f.make_user(unit=unit)
    orderer = f.make_user(unit=ward, role=Role.ORDERER, joint_ordering=True)
    product = f.make_product("diabetes")
    residents = [f.make_resident(ward, pnr) for pnr in f.PERSONNUMMER[1:3]]
    rxs = [
        f.make_prescription(patient=p, product=product, prescriber=prescriber, unit=unit)
        for p in residents
    ]  # 1 a day, 90 days: 90 may be withdrawn now
    actor = f.actor_of(orderer, ward)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def attempt(kind: Any) -> None:
        try:
            barrier.wait()
            if kind == "joint":
                place_joint_order(
                    JointOrderDraft(ward=ward, residents=[item(rx, 90) for rx in rxs]),
                    actor=actor,
                )
            else:  # the second resident alone, as a single withdrawal to the ward
                place_withdrawal(
                    WithdrawalDraft(
                        patient=residents[1],
                        lines=[LineDraft(rxs[1].pk, 90)],
                        delivery=DeliveryRequest(destination="unit"),
                    ),
                    actor=actor,
                )
            outcomes.append(f"{kind}:ok")
        except DomainError as err:
            outcomes.append(f"{kind}:{err.code}")
        except Exception as err:  # a deadlock would land here
            outcomes.append(f"{kind}:{type(err).__name__}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(k,)) for k in ("joint", "joint", "single", "single")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(o.endswith(":ok") for o in outcomes) == 1, outcomes
    assert all(o.endswith((":ok", ":GEN-3")) for o in outcomes), outcomes
    for rx in rxs:
        assert (
            sum(WithdrawalLine.objects.filter(prescription=rx).values_list("quantity", flat=True))
            <= 90
        )


@pytest.mark.rule("SAM-1", "SAM-3")
def test_the_preview_shows_what_placing_would_do_and_writes_nothing(
    world: World, ward: Any, residents: Any
) -> None:
    from lmn.withdrawals.joint import preview_joint_order

    items = [item(rx(world, p)) for p in residents[:2]]
    draft = JointOrderDraft(ward=ward, residents=items)
    preview = preview_joint_order(draft, actor=f.actor_of(world.orderer, ward))
    assert set(preview.plans) == {p.pk for p in residents[:2]}
    assert preview.delivery_place == "Godsmottagningen, entréplan"
    assert preview.promise.date is not None
    assert all(plan.fees == [] for plan in preview.plans.values())
    assert not JointOrder.objects.exists() and not Withdrawal.objects.exists()
    # and it refuses exactly as placing would
    with pytest.raises(DomainError) as err:
        preview_joint_order(
            JointOrderDraft(ward=ward, residents=items[:1]), actor=f.actor_of(world.orderer, ward)
        )
    assert "SAM-1" in {p.code for p in err.value.problems}
