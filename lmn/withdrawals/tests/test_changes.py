"""Cancelling a withdrawal and changing its delivery details until it is picked, and the
timeline of every step (issue 8: a withdrawal could be neither cancelled nor changed)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum

from lmn.audit.models import AuditEvent
from lmn.catalog.models import Product
from lmn.core.actor import Role
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.changes import cancel_withdrawal, change_delivery
from lmn.withdrawals.models import Withdrawal, WithdrawalEvent
from lmn.withdrawals.queries import entitlement_for
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_picked, mark_shipped
from lmn.withdrawals.timeline import timeline

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Iterator[Any]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def depot(world: World) -> Any:
    return world.actor(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None))


def order(
    world: World, product: Any = None, *, user: Any = None, quantity: Any = 10, **delivery: Any
) -> Any:
    rx = f.make_prescription(
        patient=world.patient,
        product=product or world.diabetes_product,
        prescriber=user or world.prescriber,
        unit=world.unit,
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(rx.pk, quantity)],
            delivery=DeliveryRequest(**delivery),
        ),
        actor=world.actor(user or world.prescriber),
    )
    return w


def net_fees(w: Any) -> Any:
    return w.fees.aggregate(s=Sum("amount_sek"))["s"] or Decimal(0)


def test_cancelling_before_picking_releases_stock_reverses_fees_and_is_audited(
    world: World,
) -> None:
    stock = Product.objects.get(pk=world.diabetes_product.pk).stock_quantity
    w = order(world, speed="emergency", phone="0701234567")
    assert net_fees(w) > 0
    rx = w.lines.get().prescription
    assert entitlement_for(rx).withdrawable_now < 90

    cancelled, changed = cancel_withdrawal(w, actor=world.actor(world.prescriber))

    assert changed and cancelled.status == "cancelled"
    assert Product.objects.get(pk=world.diabetes_product.pk).stock_quantity == stock
    assert net_fees(w) == 0  # the emergency fee has its reversal; nothing deleted
    assert w.fees.filter(kind="reversal").count() == 1
    assert entitlement_for(rx).withdrawable_now == 90  # the prescription is whole again
    event = AuditEvent.objects.get(action="withdrawals.withdrawal.cancelled")
    assert event.patient_id == world.patient.pk


def test_cancelling_twice_answers_alike_and_changes_nothing_more(world: World) -> None:
    w = order(world, speed="emergency", phone="0701234567")
    cancel_withdrawal(w, actor=world.actor(world.prescriber))
    again, changed = cancel_withdrawal(w, actor=world.actor(world.prescriber))
    assert not changed and again.status == "cancelled"
    assert w.fees.filter(kind="reversal").count() == 1
    assert w.events.filter(to_status="cancelled").count() == 1


def test_after_picking_cancel_and_change_are_refused_with_a_stable_code(
    world: World, depot: Any
) -> None:
    w = order(world)
    mark_picked(w, actor=depot)
    with pytest.raises(DomainError) as err:
        cancel_withdrawal(w, actor=world.actor(world.prescriber))
    assert err.value.code == "already_picked"
    assert "plockat" in err.value.problems[0].message
    with pytest.raises(DomainError) as err:
        change_delivery(w, DeliveryRequest(door_code="1234"), actor=world.actor(world.prescriber))
    assert err.value.code == "already_picked"
    assert Withdrawal.objects.get(pk=w.pk).status == "picked"


def test_customer_service_may_cancel_but_another_units_orderer_may_not(world: World) -> None:
    w = order(world)
    with pytest.raises(DomainError) as err:
        cancel_withdrawal(w, actor=world.actor(world.orderer))  # the ward, not this unit
    assert err.value.code == "not_orderer"
    with pytest.raises(DomainError):
        cancel_withdrawal(w, actor=world.actor(world.outsider))
    _, changed = cancel_withdrawal(w, actor=world.actor(world.customer_service))
    assert changed


def test_the_doctor_of_the_ordering_unit_may_cancel(world: World) -> None:
    w = order(world)
    _, changed = cancel_withdrawal(w, actor=world.actor(world.doctor))
    assert changed


def test_changing_to_a_pickup_point_is_checked_by_the_same_rules(world: World) -> None:
    f.make_pickup_point()
    w = order(world)
    actor = world.actor(world.prescriber)
    with pytest.raises(DomainError) as err:
        change_delivery(
            w, DeliveryRequest(destination="pickup_point", pickup_point_id="PN-41301"), actor=actor
        )
    assert err.value.code == "PICK-2"  # how to notify must be chosen, as at ordering
    new = DeliveryRequest(
        destination="pickup_point",
        pickup_point_id="PN-41301",
        notify_by="sms",
        phone="070-123 45 67",
    )
    _w, changed = change_delivery(w, new, actor=actor)
    assert changed
    stored = Withdrawal.objects.get(pk=w.pk)
    assert (stored.destination, stored.pickup_point_id, stored.notify_by, stored.phone) == (
        "pickup_point",
        "PN-41301",
        "sms",
        "+46701234567",
    )
    event = w.events.get(kind=WithdrawalEvent.DELIVERY_CHANGED)
    assert {"destination", "pickup_point_id", "phone", "notify_by"} <= set(event.changed_fields)
    audit = AuditEvent.objects.get(action="withdrawals.withdrawal.delivery_changed")
    assert "1234" not in str(audit.data)
    # the same details again: nothing changes, no second history row
    _, again = change_delivery(w, new, actor=actor)
    assert not again
    assert w.events.filter(kind=WithdrawalEvent.DELIVERY_CHANGED).count() == 1


@pytest.mark.rule("OUT-4")
def test_changing_to_an_address_outside_the_region_rebooks_the_fees(world: World) -> None:
    w = order(world, world.nutrition_product, user=world.dietitian)
    assert net_fees(w) == 0
    actor = world.actor(world.dietitian)
    away = DeliveryRequest(street="Drottninggatan 1", postcode="111 51", city="Stockholm")
    change_delivery(w, away, actor=actor)
    assert w.fees.filter(kind="nutrition_outside_region").count() == 1
    assert net_fees(w) > 0
    home = DeliveryRequest(street="Storgatan 1", postcode="411 38", city="Göteborg")
    change_delivery(w, home, actor=actor)
    assert net_fees(w) == 0
    assert Withdrawal.objects.get(pk=w.pk).inside_region


def test_timeline_names_every_step_with_time_and_actor(world: World, depot: Any) -> None:
    w = order(world)
    change_delivery(w, DeliveryRequest(door_code="4711"), actor=world.actor(world.doctor))
    mark_picked(w, actor=depot)
    mark_shipped(w, actor=depot)
    steps = timeline(Withdrawal.objects.get(pk=w.pk))
    assert [s.title for s in steps] == [
        "Beställt",
        "Leveransuppgifterna ändrade",
        "Plockat hos distributören",
        "Skickat med transportören",
    ]
    assert world.prescriber.display_name in steps[0].actor
    assert "Förskrivare" in steps[0].actor and world.unit.name in steps[0].actor
    assert "Läkare" in steps[1].actor and "portkod" in steps[1].detail
    assert "4711" not in steps[1].detail
    assert steps[2].actor == "Distributören"
    assert all(s.at is not None for s in steps)


@pytest.mark.postgres_only  # in-memory SQLite cannot run two writing threads
@pytest.mark.django_db(transaction=True)
def test_cancel_racing_the_distributors_picked_step_has_exactly_one_winner(
    world: World, depot: Any
) -> None:
    """The orderer presses cancel as the depot scans the parcel: one wins, never both."""
    for attempt in range(4):
        w = order(world)
        barrier = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def cancel(w: Any = w, barrier: Any = barrier, outcomes: Any = outcomes) -> None:
            try:
                barrier.wait()
                cancel_withdrawal(w, actor=world.actor(world.prescriber))
                outcomes["cancel"] = "won"
            except DomainError as error:
                outcomes["cancel"] = error.code
            finally:
                connection.close()

        def pick(w: Any = w, barrier: Any = barrier, outcomes: Any = outcomes) -> None:
            try:
                barrier.wait()
                mark_picked(w, actor=depot)
                outcomes["pick"] = "won"
            except DomainError as error:
                outcomes["pick"] = error.code
            finally:
                connection.close()

        threads = [threading.Thread(target=cancel), threading.Thread(target=pick)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        final = Withdrawal.objects.get(pk=w.pk)
        assert sorted(outcomes.values()).count("won") == 1, (attempt, outcomes)
        if outcomes["cancel"] == "won":
            assert final.status == "cancelled" and outcomes["pick"] == "invalid_transition"
        else:
            assert final.status == "picked" and outcomes["cancel"] == "already_picked"
        assert final.events.exclude(to_status="placed").count() == 1


@pytest.mark.postgres_only  # in-memory SQLite cannot run two writing threads
@pytest.mark.django_db(transaction=True)
def test_a_change_racing_the_picked_step_never_lands_after_picking(
    world: World, depot: Any
) -> None:
    """Either the change comes first (and the depot picks the new details) or it is
    refused; a change is never recorded after the parcel was picked."""
    for attempt in range(4):
        w = order(world)
        barrier = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def change(w: Any = w, barrier: Any = barrier, outcomes: Any = outcomes) -> None:
            try:
                barrier.wait()
                change_delivery(
                    w, DeliveryRequest(door_code=f"12{attempt}"), actor=world.actor(world.doctor)
                )
                outcomes["change"] = "won"
            except DomainError as error:
                outcomes["change"] = error.code
            finally:
                connection.close()

        def pick(w: Any = w, barrier: Any = barrier, outcomes: Any = outcomes) -> None:
            try:
                barrier.wait()
                mark_picked(w, actor=depot)
                outcomes["pick"] = "won"
            finally:
                connection.close()

        threads = [threading.Thread(target=change), threading.Thread(target=pick)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert outcomes["pick"] == "won", (attempt, outcomes)
        events = list(Withdrawal.objects.get(pk=w.pk).events.order_by("pk"))
        kinds = [e.kind or e.to_status for e in events]
        if outcomes["change"] == "won":
            assert kinds == ["placed", WithdrawalEvent.DELIVERY_CHANGED, "picked"], kinds
        else:
            assert outcomes["change"] == "already_picked" and kinds == ["placed", "picked"]


@pytest.mark.rule("SAM-1")
def test_a_withdrawal_of_a_joint_order_may_be_cancelled_but_not_redirected(world: World) -> None:
    from lmn.withdrawals.joint import JointOrderDraft, ResidentLines, place_joint_order

    world.ward.delivery_place = "Godsmottagningen, entréplan"
    world.ward.save(update_fields=["delivery_place"])
    residents = []
    for pnr in f.PERSONNUMMER[1:3]:
        resident = f.make_resident(world.ward, pnr)
        rx = f.make_prescription(
            patient=resident,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=world.unit,
        )
        residents.append(ResidentLines(resident, [LineDraft(rx.pk, 10)]))
    joint = place_joint_order(
        JointOrderDraft(
            ward=world.ward,
            residents=residents,
            contact_person="Eva Ansvarig",
            phone="031-123 45 67",
        ),
        actor=world.actor(world.orderer, world.ward),
    )
    w = joint.withdrawals.order_by("pk").first()
    assert w is not None
    actor = world.actor(world.orderer, world.ward)
    with pytest.raises(DomainError) as err:
        change_delivery(w, DeliveryRequest(door_code="1234"), actor=actor)
    assert err.value.code == "joint_order_delivery"
    _, changed = cancel_withdrawal(w, actor=actor)
    assert changed
