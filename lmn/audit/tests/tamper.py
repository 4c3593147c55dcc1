"""Tampering with the audit tables as an attacker with the database owner's rights.

Raw SQL bypasses the model; on PostgreSQL the attacker first disables the append-only
triggers (the tests connect as a superuser; the change is rolled back with the test).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

TABLES = ["audit_auditevent", "audit_auditseal", "audit_auditcheckpoint"]


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # deferred foreign-key checks would block ALTER TABLE inside the test's transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(statement, params or [])
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def swap_ids(a: int, b: int) -> None:
    """Swap two events' places in the trail (their ids), keeping their content."""
    sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", [-1, a])
    sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", [a, b])
    sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", [b, -1])
