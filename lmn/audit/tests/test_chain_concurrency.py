"""Concurrent appends to one patient's audit chain keep it whole (PostgreSQL).

The chain's lock and the read of its head are one call there (lmn_audit_chain_head): the
read must still see an append committed while the caller waited for the lock.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from lmn.audit.models import AuditEvent
from lmn.audit.services import record, verify_chain
from lmn.testing.types import World

THREADS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_to_one_chain_keep_it_whole(world: World) -> None:
    actor = world.actor(world.prescriber, world.unit)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append(i: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                record("test.read", actor=actor, patient=world.patient, data={"n": i})
                time.sleep(0.05)  # hold the lock a while, so that the others wait for it
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    events = list(AuditEvent.objects.filter(chain=f"patient:{world.patient.pk}").order_by("id"))
    assert len(events) == THREADS
    # each event extends the one before: no two read the same head
    assert len({e.prev_hash for e in events}) == THREADS
    assert verify_chain() is None
