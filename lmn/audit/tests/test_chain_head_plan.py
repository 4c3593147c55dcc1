"""The chain head is read through its index however skewed the chains are (PostgreSQL).

Every audited action reads its chain's last event. When one chain holds most events,
sampled statistics see few chains, and a cached generic plan would walk the whole table
backwards for any other chain (measured: 400 ms per order at 1,000,000 events). The
plans are read with auto_explain, which reports each statement the function runs.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from lmn.audit.models import AuditEvent
from lmn.audit.services import _PG_LOCK_ID, record
from lmn.core.actor import Actor
from lmn.testing.types import World


def _copies(template: AuditEvent, n: int, chain: str) -> None:
    """n copies of the template in one chain, set-based."""
    columns = [str(f.column) for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    values = ["%s" if c == "chain" else f"t.{c}" for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO audit_auditevent ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM generate_series(1, %s) "
            "CROSS JOIN audit_auditevent t WHERE t.id = %s",
            [chain, n, template.pk],
        )
        cursor.execute("ANALYZE audit_auditevent")


@pytest.mark.postgres_only
def test_the_chain_heads_read_uses_its_index_when_one_chain_holds_nearly_all(
    world: World,
) -> None:
    template = record("test.read", actor=Actor.system("test"))
    _copies(template, 20_000, "actor:busy")
    notices: list[str] = []
    raw: Any = connection.connection

    def heard(diag: Any) -> None:
        notices.append(diag.message_primary or "")

    raw.add_notice_handler(heard)
    with connection.cursor() as cursor:
        cursor.execute("LOAD 'auto_explain'")
        cursor.execute("SET LOCAL auto_explain.log_min_duration = 0")
        cursor.execute("SET LOCAL auto_explain.log_nested_statements = on")
        cursor.execute("SET LOCAL client_min_messages = log")
        heads = []
        for n in range(8):  # past the five calls after which a generic plan may be kept
            cursor.execute("SELECT lmn_audit_chain_head(%s, %s)", [_PG_LOCK_ID, f"actor:n{n}"])
            heads.append(cursor.fetchone()[0])
        cursor.execute("SET LOCAL client_min_messages = notice")
    raw.remove_notice_handler(heard)
    assert heads == [None] * 8
    reads = [n for n in notices if "audit_auditevent" in n]
    assert len(reads) == 8
    assert all("audit_chain_last" in plan for plan in reads), reads[-1]


@pytest.mark.postgres_only
def test_request_connections_plan_no_parallel_workers(db: None) -> None:
    """A request reads a handful of rows; starting workers costs milliseconds, and one
    long history skewing an estimate would make a plan parallel."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
