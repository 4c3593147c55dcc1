"""The audit trail is append-only and hash-chained."""

from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from lmn.audit.services import record, verify_chain
from lmn.core.actor import Actor
from lmn.testing.types import World

from .tamper import sql

pytestmark = pytest.mark.rule("PDL-5")  # append-only and hash-chained


def test_events_chain_and_a_tampered_row_is_detected(db: None) -> None:
    actor = Actor.system("test")
    events = [record("test.thing.done", actor=actor, data={"n": i}) for i in range(3)]
    assert verify_chain() is None
    assert events[1].prev_hash == events[0].hash
    sql(
        "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.thing.undone", events[1].pk]
    )
    assert verify_chain() == events[1].pk


def test_each_patient_has_a_chain_of_its_own_and_tampering_is_found_in_any(world: World) -> None:
    from lmn.testing import factories as f

    other = f.make_patient(f.PERSONNUMMER[2])
    actor = world.actor(world.prescriber)
    a1 = record("test.read", actor=actor, patient=world.patient)
    b1 = record("test.read", actor=actor, patient=other)
    a2 = record("test.read", actor=actor, patient=world.patient)
    assert (a2.prev_hash, b1.prev_hash) == (a1.hash, "0" * 64)
    assert verify_chain() is None
    sql("UPDATE audit_auditevent SET patient_id = %s WHERE id = %s", [world.patient.pk, b1.pk])
    assert verify_chain() == b1.pk


def test_a_deleted_event_breaks_its_chain(world: World) -> None:
    actor = world.actor(world.prescriber)
    first = record("test.read", actor=actor, patient=world.patient)
    record("test.read", actor=actor, patient=world.patient)
    third = record("test.read", actor=actor, patient=world.patient)
    sql("DELETE FROM audit_auditevent WHERE id = %s", [first.pk + 1])  # as an attacker
    assert verify_chain() == third.pk


def test_events_cannot_be_changed_or_deleted_through_the_model(db: None) -> None:
    event = record("test.thing.done", actor=Actor.system("test"))
    event.action = "other"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_secrets_are_masked(db: None) -> None:
    event = record(
        "test.login", actor=Actor.system("test"), data={"password": "hemligt", "door_code": "1234"}
    )
    assert event.data == {"password": "***", "door_code": "***"}


def test_a_bulk_read_extends_each_patients_chain_in_one_insert(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    from lmn.audit.services import Shown, record_many
    from lmn.testing import factories as f

    others = [f.make_patient(pnr) for pnr in f.PERSONNUMMER[2:5]]
    actor = world.actor(world.prescriber)
    before = record("test.read", actor=actor, patient=world.patient)

    with django_assert_max_num_queries(6):
        events = record_many(
            "test.listed",
            [Shown(patient=p) for p in [world.patient, *others]] + [Shown(), Shown()],
            actor=actor,
            channel="web",
        )

    assert [e.patient_id for e in events] == [world.patient.pk, *(p.pk for p in others), None, None]
    assert events[0].prev_hash == before.hash
    assert events[-1].prev_hash == events[-2].hash  # two about no patient: the actor's chain
    after = record("test.read", actor=actor, patient=others[0])
    assert after.prev_hash == events[1].hash
    assert verify_chain() is None
    sql(
        "UPDATE audit_auditevent SET channel = 'api' WHERE action = %s AND patient_id = %s",
        ["test.listed", others[1].pk],
    )
    assert verify_chain() is not None


def test_only_a_patients_chain_can_be_started_as_new(world: World) -> None:
    from lmn.audit.models import AuditEvent
    from lmn.audit.services import Entry, record_in_order

    actor = world.actor(world.prescriber)
    with pytest.raises(ValueError):
        record_in_order([Entry("test.read")], actor=actor, new_patient=True)
    assert not AuditEvent.objects.filter(action="test.read").exists()
