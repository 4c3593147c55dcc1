"""`manage.py verify_audit` finds each kind of tampering, with the checkpoint's seal."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from lmn.audit.integrity import run_audit_jobs, take_checkpoint
from lmn.audit.models import AuditCheckpoint, AuditEvent, AuditSeal, AuditVerification
from lmn.audit.services import GENESIS, _chain_fields, _digest, record
from lmn.core.actor import Actor

from .tamper import sql, swap_ids

# PDL-5: every kind of tampering (altered, inserted, deleted, reordered) is detected
pytestmark = [pytest.mark.usefixtures("seal_key"), pytest.mark.rule("PDL-5")]


@pytest.fixture
def seal_key() -> Iterator[Any]:
    with override_settings(LMN_AUDIT_SEAL_KEY="test-key-not-in-the-database"):
        yield


@pytest.fixture
def trail(db: None) -> Any:
    """Two chains of four events each, interleaved, and a sealed checkpoint over them."""
    a, b = Actor.system("a"), Actor.system("b")
    events: dict[str, list[Any]] = {"a": [], "b": []}
    for i in range(4):
        events["a"].append(record("test.read", actor=a, data={"n": i}))
        events["b"].append(record("test.read", actor=b, data={"n": i}))
    take_checkpoint()
    return events


def verify() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def broken(kind: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit", stdout=io.StringIO(), stderr=err)
    assert kind in str(excinfo.value), excinfo.value
    assert f"{kind}:" in err.getvalue()
    assert AuditVerification.objects.order_by("-id").first().ok is False
    return err.getvalue()


def test_an_intact_trail_passes_and_the_verification_is_recorded(trail: Any) -> None:
    assert "audit trail intact: 8 events in 2 chains" in verify()
    assert AuditVerification.objects.get().ok


def test_an_altered_field_is_detected(trail: Any) -> None:
    sql("UPDATE audit_auditevent SET action = 'test.nothing' WHERE id = %s", [trail["a"][1].id])
    assert f"event {trail['a'][1].id}" in broken("altered")


def test_an_inserted_event_is_detected_even_with_a_valid_hash(trail: Any) -> None:
    a0 = trail["a"][0]
    forged = AuditEvent(
        at=a0.at,
        action="test.read",
        actor_hsa_id=a0.actor_hsa_id,
        actor_role=a0.actor_role,
        chain=a0.chain,
        data={"n": 99},
        prev_hash=a0.hash,
    )
    forged.hash = _digest(a0.hash, _chain_fields(forged))
    # squeezed in right after a0 (ids are free between the interleaved chains)
    sql("UPDATE audit_auditevent SET id = id + 100 WHERE id > %s", [a0.id])
    forged.id = a0.id + 1
    forged.save()
    assert "inserted" in broken("inserted")


def test_a_deleted_middle_event_is_detected(trail: Any) -> None:
    sql("DELETE FROM audit_auditevent WHERE id = %s", [trail["a"][1].id])
    assert f"the event before {trail['a'][2].id} is missing" in broken("deleted")


def test_a_deleted_last_event_of_a_chain_is_detected(trail: Any) -> None:
    sql("DELETE FROM audit_auditevent WHERE id = %s", [trail["b"][3].id])
    assert "its last sealed event" in broken("deleted")


def test_a_whole_deleted_chain_is_detected(trail: Any) -> None:
    sql("DELETE FROM audit_auditevent WHERE chain = %s", [trail["b"][0].chain])
    assert "the whole chain (4 events) is missing" in broken("deleted")


def test_swapped_events_are_detected_as_reordered(trail: Any) -> None:
    swap_ids(trail["a"][1].id, trail["a"][2].id)
    assert "inserted" not in broken("reordered")


def test_a_forged_checkpoint_is_detected(trail: Any) -> None:
    cp = AuditCheckpoint.objects.get(chain=trail["b"][0].chain)
    sql("DELETE FROM audit_auditevent WHERE id = %s", [trail["b"][3].id])
    # the attacker lowers the sealed count and head to hide the deletion, without the key
    sql(
        "UPDATE audit_auditcheckpoint SET count = 3, last_id = %s, last_hash = %s WHERE id = %s",
        [trail["b"][2].id, trail["b"][2].hash, cp.id],
    )
    broken("forged")


def test_a_forged_manifest_hiding_a_deleted_chain_is_detected(trail: Any) -> None:
    sql("DELETE FROM audit_auditevent WHERE chain = %s", [trail["b"][0].chain])
    manifest = AuditSeal.objects.get()
    sql("DELETE FROM audit_auditcheckpoint WHERE chain = %s", [trail["b"][0].chain])
    assert f"manifest {manifest.id}" in broken("forged")


def test_a_fresh_chain_after_the_checkpoint_is_no_problem(trail: Any) -> None:
    record("test.read", actor=Actor.system("c"))
    record("test.read", actor=Actor.system("a"))
    assert "intact" in verify()


def test_the_scheduled_job_verifies_then_seals(trail: Any) -> None:
    record("test.read", actor=Actor.system("a"))
    assert run_audit_jobs()["audit_problems"] == 0
    assert AuditSeal.objects.count() == 2
    sql("DELETE FROM audit_auditevent WHERE id = (SELECT MAX(id) FROM audit_auditevent)")
    assert run_audit_jobs()["audit_problems"] == 1
    assert AuditSeal.objects.count() == 2  # a broken trail is not sealed over


def test_genesis_is_what_a_chain_starts_from(trail: Any) -> None:
    assert trail["a"][0].prev_hash == GENESIS


def test_bulk_update_and_delete_are_refused_in_code(trail: Any) -> None:
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(chain=trail["a"][0].chain).update(action="x")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(RuntimeError):
        AuditCheckpoint.objects.all().delete()
    assert AuditEvent.objects.count() == 8


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "UPDATE audit_auditcheckpoint SET count = 0",
        "DELETE FROM audit_auditseal",
    ],
)
def test_postgresql_triggers_refuse_changes_to_the_trail(trail: Any, statement: Any) -> None:
    from django.db import DatabaseError, transaction

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lmn.audit_maintenance = 'off'")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 8


def test_without_a_seal_key_outside_training_the_trail_is_not_called_intact(trail: Any) -> None:
    with override_settings(LMN_AUDIT_SEAL_KEY="", TRAINING_MODE=False):
        assert "LMN_AUDIT_SEAL_KEY" in broken("unsealed")
        assert run_audit_jobs()["audit_problems"] == 1  # the scheduler goes on; no seal taken
    assert AuditSeal.objects.count() == 1
