"""The audit trail is append-only and hash-chained."""

from __future__ import annotations

import pytest

from lmn.audit.models import AuditEvent
from lmn.audit.services import record, verify_chain
from lmn.core.actor import Actor


def test_events_chain_and_a_tampered_row_is_detected(db):
    actor = Actor.system("test")
    events = [record("test.thing.done", actor=actor, data={"n": i}) for i in range(3)]
    assert verify_chain() is None
    assert events[1].prev_hash == events[0].hash
    AuditEvent.objects.filter(pk=events[1].pk).update(action="test.thing.undone")
    assert verify_chain() == events[1].pk


def test_events_cannot_be_changed_or_deleted_through_the_model(db):
    event = record("test.thing.done", actor=Actor.system("test"))
    event.action = "other"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_secrets_are_masked(db):
    event = record(
        "test.login", actor=Actor.system("test"), data={"password": "hemligt", "door_code": "1234"}
    )
    assert event.data == {"password": "***", "door_code": "***"}
