"""Change, renew, end and replace a prescription (RX-1, RX-2, RX-3), through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.audit.models import AuditEvent
from lmn.core import clock
from lmn.core.actor import Role
from lmn.core.errors import DomainError, PermissionDenied
from lmn.delivery.details import DeliveryRequest
from lmn.prescriptions.lifecycle import (
    PrescriptionChange,
    change_prescription,
    renew_prescription,
)
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.services import PrescriptionDraft
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.ending import end_with_withdrawals
from lmn.withdrawals.queries import entitlement_for
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_picked

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Iterator[Any]:
    with time_machine.travel(MONDAY, tick=False):
        yield


def prescribe(world: World, **kw: Any) -> Prescription:
    values: dict[str, Any] = {
        "patient": world.patient,
        "product": world.diabetes_product,
        "prescriber": world.prescriber,
        "unit": world.unit,
        "amount": 2,
    }
    values.update(kw)
    return f.make_prescription(**values)


def withdraw(world: World, *rxs: tuple[Prescription, int]) -> Any:
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(p.pk, q) for p, q in rxs],
            delivery=DeliveryRequest(),
        ),
        actor=world.actor(world.prescriber),
    )
    return w


def change(p: Prescription, **kw: Any) -> PrescriptionChange:
    values: dict[str, Any] = {
        "based_on_version": p.version,
        "consumption_amount": p.consumption_amount,
        "consumption_period": p.consumption_period,
        "valid_until": p.valid_until,
        "max_supply_days": p.max_supply_days,
        "instructions": p.instructions,
    }
    values.update(kw)
    return PrescriptionChange(**values)


@pytest.mark.rule("RX-1")
def test_a_change_is_a_new_version_with_who_and_when_and_is_audited(world: World) -> None:
    p = prescribe(world)
    changed = change_prescription(
        p, change(p, consumption_amount=3, instructions="Morgon"), actor=world.actor(world.doctor)
    )
    assert changed.version == 2
    versions = list(changed.versions.order_by("number"))
    assert [(v.number, v.kind, v.consumption_amount) for v in versions] == [
        (1, "created", 2),
        (2, "changed", 3),
    ]
    assert versions[1].changed_by == world.doctor
    assert versions[1].changed_at == MONDAY
    event = AuditEvent.objects.get(action="prescriptions.prescription.changed")
    assert (event.patient_id, event.data["version"]) == (world.patient.pk, 2)


@pytest.mark.rule("RX-1")
def test_entitlement_counts_what_was_withdrawn_under_the_earlier_version(world: World) -> None:
    p = prescribe(world)
    withdraw(world, (p, 180))  # a full 90 days at 2 a day
    assert entitlement_for(p).withdrawable_now == 0
    changed = change_prescription(
        p, change(p, valid_until=p.valid_until - dt.timedelta(days=1)),
        actor=world.actor(world.prescriber),
    )  # fmt: skip
    after = entitlement_for(changed)
    assert after.withdrawable_now == 0 and after.reason == "too_early"
    # a higher consumption brings the next withdrawal closer, but nothing today
    higher = change_prescription(
        changed, change(changed, consumption_amount=4), actor=world.actor(world.prescriber)
    )
    ent = entitlement_for(higher)
    assert ent.withdrawable_now == 0
    assert ent.covered_until == clock.today() + dt.timedelta(days=45)


@pytest.mark.rule("RX-1")
def test_a_change_based_on_an_old_version_is_refused_and_names_the_new_one(world: World) -> None:
    p = prescribe(world)
    seen = Prescription.objects.get(pk=p.pk)
    change_prescription(p, change(p, consumption_amount=3), actor=world.actor(world.doctor))
    with pytest.raises(DomainError) as refused:
        change_prescription(
            seen, change(seen, consumption_amount=5), actor=world.actor(world.prescriber)
        )
    assert refused.value.code == "stale_version"
    assert "version 2" in refused.value.problems[0].message
    assert Prescription.objects.get(pk=p.pk).consumption_amount == 3


def test_bad_changes_are_refused_together_and_nothing_is_written(world: World) -> None:
    p = prescribe(world)
    with pytest.raises(DomainError) as refused:
        change_prescription(
            p,
            change(p, consumption_amount=0, valid_until=clock.today(), max_supply_days=400),
            actor=world.actor(world.prescriber),
        )
    codes = {problem.code for problem in refused.value.problems}
    assert codes == {"invalid_consumption", "invalid_validity", "invalid_max_supply"}
    assert Prescription.objects.get(pk=p.pk).version == 1


def test_only_a_prescriber_of_the_unit_with_the_area_may_change(world: World) -> None:
    p = prescribe(world)
    with pytest.raises(DomainError) as other_unit:
        change_prescription(p, change(p), actor=world.actor(world.outsider))
    assert other_unit.value.code == "not_prescribing_unit"
    with pytest.raises(DomainError) as no_area:
        change_prescription(p, change(p), actor=world.actor(world.dietitian))
    assert no_area.value.code == "ACC-3"
    orderer = f.make_user(unit=world.unit, role=Role.ORDERER)
    with pytest.raises(PermissionDenied):
        change_prescription(p, change(p), actor=world.actor(orderer))


@pytest.mark.rule("RX-2")
def test_a_prescription_expiring_soon_is_renewed_in_one_action(world: World) -> None:
    today = clock.today()
    p = prescribe(world, valid_until=today + dt.timedelta(days=20))
    withdraw(world, (p, 40))
    renewed = renew_prescription(p, based_on_version=1, actor=world.actor(world.prescriber))
    assert (renewed.valid_from, renewed.valid_until) == (today, clock.add_months(today, 12))
    assert renewed.versions.get(number=2).kind == "renewed"
    # the 40 already withdrawn still count: 180 - 40 more, not a new full supply
    assert entitlement_for(renewed).withdrawable_now == 140
    assert AuditEvent.objects.filter(action="prescriptions.prescription.renewed").count() == 1


@pytest.mark.rule("RX-2")
def test_an_expired_prescription_may_be_renewed_but_not_one_far_from_expiry(world: World) -> None:
    with time_machine.travel(MONDAY - dt.timedelta(days=400), tick=False):
        old = prescribe(world)
    assert old.valid_until < clock.today()
    assert renew_prescription(old, based_on_version=1, actor=world.actor(world.prescriber))
    fresh = prescribe(world)
    with pytest.raises(DomainError) as refused:
        renew_prescription(fresh, based_on_version=1, actor=world.actor(world.prescriber))
    assert refused.value.code == "not_due_for_renewal"


@pytest.mark.rule("RX-2")
def test_an_ended_prescription_is_not_renewed(world: World) -> None:
    p = prescribe(world, valid_until=clock.today() + dt.timedelta(days=5))
    end_with_withdrawals(
        p, reason="no_longer_needed", stop_open=False, based_on_version=1,
        actor=world.actor(world.prescriber),
    )  # fmt: skip
    with pytest.raises(DomainError) as refused:
        renew_prescription(p, based_on_version=None, actor=world.actor(world.prescriber))
    assert refused.value.code == "prescription_ended"


@pytest.mark.rule("RX-3")
def test_ending_stops_the_open_withdrawals_when_the_prescriber_chooses(world: World) -> None:
    p = prescribe(world)
    w = withdraw(world, (p, 20))
    result = end_with_withdrawals(
        p, reason="deceased", stop_open=True, based_on_version=1,
        actor=world.actor(world.prescriber),
    )  # fmt: skip
    assert result.stopped == [w.number]
    w.refresh_from_db()
    assert w.status == "cancelled"
    ended = Prescription.objects.get(pk=p.pk)
    assert (ended.status, ended.end_reason, ended.version) == ("ended", "deceased", 2)
    # it stays in the history
    assert ended.versions.get(number=2).kind == "ended"
    event = AuditEvent.objects.get(action="prescriptions.prescription.ended")
    assert event.data["reason"] == "deceased"


@pytest.mark.rule("RX-3")
def test_ending_keeps_the_open_withdrawals_when_the_prescriber_chooses(world: World) -> None:
    p = prescribe(world)
    w = withdraw(world, (p, 20))
    result = end_with_withdrawals(
        p, reason="no_longer_needed", stop_open=False, based_on_version=1,
        actor=world.actor(world.prescriber),
    )  # fmt: skip
    assert (result.stopped, result.kept) == ([], [w.number])
    w.refresh_from_db()
    assert w.status == "placed"
    assert entitlement_for(Prescription.objects.get(pk=p.pk)).reason == "prescription_ended"


@pytest.mark.rule("RX-3")
def test_a_picked_withdrawal_is_not_stopped_and_a_mixed_one_refuses_stopping(
    world: World,
) -> None:
    p = prescribe(world)
    other = prescribe(world, product=f.make_product("diabetes", name="Lansetter"))
    picked = withdraw(world, (p, 10))
    depot = world.actor(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None))
    mark_picked(picked, actor=depot)
    mixed = withdraw(world, (p, 10), (other, 10))
    with pytest.raises(DomainError) as refused:
        end_with_withdrawals(
            p, reason="no_longer_needed", stop_open=True, based_on_version=1,
            actor=world.actor(world.prescriber),
        )  # fmt: skip
    assert refused.value.code == "withdrawal_has_other_products"
    assert mixed.number in refused.value.problems[0].message
    # nothing half-written
    assert Prescription.objects.get(pk=p.pk).status == "active"
    assert not AuditEvent.objects.filter(action="prescriptions.prescription.ended").exists()


def test_an_end_reason_must_be_one_of_the_reasons(world: World) -> None:
    p = prescribe(world)
    with pytest.raises(DomainError) as refused:
        end_with_withdrawals(
            p, reason="bored", stop_open=False, based_on_version=1,
            actor=world.actor(world.prescriber),
        )  # fmt: skip
    assert refused.value.code == "invalid_end_reason"


@pytest.mark.rule("RX-3")
def test_replacing_the_product_ends_one_and_starts_another_linked(world: World) -> None:
    p = prescribe(world)
    new_product = f.make_product("diabetes", name="Testremsor Nya")
    result = end_with_withdrawals(
        p,
        reason="replaced",
        stop_open=False,
        based_on_version=1,
        actor=world.actor(world.prescriber),
        replacement=PrescriptionDraft(
            patient=world.patient,
            product=new_product,
            consumption_amount=2,
            consumption_period="day",
        ),
    )
    assert result.replacement is not None
    assert result.replacement.replaces == Prescription.objects.get(pk=p.pk)
    assert result.prescription.end_reason == "replaced"
    created = AuditEvent.objects.filter(action="prescriptions.prescription.created").last()
    assert created is not None and created.data["replaces"] == p.reference


def test_a_refused_replacement_leaves_the_old_prescription_active(world: World) -> None:
    p = prescribe(world)
    gone = f.make_product("diabetes", name="Utgången")
    gone.active = False
    gone.save()
    with pytest.raises(DomainError) as refused:
        end_with_withdrawals(
            p, reason="replaced", stop_open=False, based_on_version=1,
            actor=world.actor(world.prescriber),
            replacement=PrescriptionDraft(
                patient=world.patient, product=gone, consumption_amount=1,
                consumption_period="day",
            ),
        )  # fmt: skip
    assert refused.value.code == "product_inactive"
    assert Prescription.objects.get(pk=p.pk).status == "active"


@pytest.mark.rule("RX-1")
@pytest.mark.postgres_only  # in-memory SQLite cannot run two writing threads
@pytest.mark.django_db(transaction=True)
def test_two_prescribers_changing_at_once_one_wins_the_other_sees_the_new_version(
    world: World,
) -> None:
    import threading

    from django.db import connection

    for attempt in range(3):
        p = prescribe(world, product=f.make_product("diabetes", name=f"Remsor {attempt}"))
        barrier = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def run(name: str, user: Any, amount: int, p: Any = p, barrier: Any = barrier) -> None:
            try:
                barrier.wait()
                change_prescription(
                    p, change(p, consumption_amount=amount), actor=world.actor(user)
                )
                outcomes[name] = "won"
            except DomainError as error:
                outcomes[name] = error.code
            finally:
                connection.close()

        threads = [
            threading.Thread(target=run, args=("prescriber", world.prescriber, 3)),
            threading.Thread(target=run, args=("doctor", world.doctor, 5)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcomes.values()) == ["stale_version", "won"], (attempt, outcomes)
        final = Prescription.objects.get(pk=p.pk)
        winner = 3 if outcomes["prescriber"] == "won" else 5
        assert (final.version, final.consumption_amount) == (2, winner)
        assert final.versions.count() == 2


@pytest.mark.rule("RX-3")
@pytest.mark.postgres_only  # in-memory SQLite cannot run two writing threads
@pytest.mark.django_db(transaction=True)
def test_ending_races_the_depot_picking_and_nothing_is_half_written(world: World) -> None:
    """The prescriber ends and stops the open withdrawal as the depot picks it: either
    the withdrawal is stopped with the ending, or it is picked and the ending is refused
    (or, picked first, not counted as open): never an ending that says it stopped a
    withdrawal that was picked."""
    import threading

    from django.db import connection

    depot = world.actor(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None))
    for attempt in range(3):
        p = prescribe(world, product=f.make_product("diabetes", name=f"Remsor {attempt}"))
        w = withdraw(world, (p, 10))
        barrier = threading.Barrier(2)
        outcomes: dict[str, Any] = {}

        def end(p: Any = p, barrier: Any = barrier, outcomes: Any = outcomes) -> None:
            try:
                barrier.wait()
                outcomes["end"] = end_with_withdrawals(
                    p, reason="no_longer_needed", stop_open=True, based_on_version=1,
                    actor=world.actor(world.prescriber),
                ).stopped  # fmt: skip
            except DomainError as error:
                outcomes["end"] = error.code
            except Exception as error:  # a deadlock, say: fails the assertions below
                outcomes["end"] = f"error: {error}"
            finally:
                connection.close()

        def pick(w: Any = w, barrier: Any = barrier, outcomes: Any = outcomes) -> None:
            try:
                barrier.wait()
                mark_picked(w, actor=depot)
                outcomes["pick"] = "won"
            except DomainError as error:
                outcomes["pick"] = error.code
            except Exception as error:
                outcomes["pick"] = f"error: {error}"
            finally:
                connection.close()

        threads = [threading.Thread(target=end), threading.Thread(target=pick)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        w.refresh_from_db()
        final = Prescription.objects.get(pk=p.pk)
        assert not any(str(v).startswith("error: ") for v in outcomes.values()), outcomes
        if w.status == "picked":
            assert outcomes["pick"] == "won", (attempt, outcomes)
            assert outcomes["end"] in ("already_picked", []), (attempt, outcomes)
            assert final.status == ("active" if outcomes["end"] == "already_picked" else "ended")
        else:
            assert w.status == "cancelled" and outcomes["end"] == [w.number], (attempt, outcomes)
            assert final.status == "ended"
