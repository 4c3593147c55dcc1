"""Grow the withdrawal history fast, for the 'flat cost as history grows' measurement.

Runs in a child process with the target database's environment:

    python bench/history.py TARGET OUT.json FIRST_FRESH_PRESCRIPTION_ID

adds history until TARGET earlier withdrawals exist (each with one line and one audit
event, copied from a real order the bench placed, spread over the training world's
patients and prescriptions (ids below the first one the bench orders on), placed over
the last two years; each audit event in its patient's chain, as the service writes it,
though its hashes are the template's), in one set-based INSERT … SELECT per table and chunk:
generate_series on PostgreSQL, a recursive CTE on SQLite. Writes {"added", "seconds",
"bytes"} (bytes: the three tables' size on PostgreSQL via pg_total_relation_size, the
database's pages on SQLite).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

MAIN = Path(__file__).resolve().parent.parent
CHUNK = 100_000
HELPERS = 2000  # training-world prescriptions the history is spread over


def _series(vendor: str, lo: int, hi: int) -> tuple[str, str]:
    """(WITH-prefix, FROM-item) producing n from lo to hi."""
    if vendor == "postgresql":
        return "", f"generate_series({lo}, {hi}) AS g(n)"
    cte = f"WITH RECURSIVE g(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM g WHERE n < {hi}) "
    return cte, "g"


def _copy_sql(model: type, overrides: dict[str, str], source: str, prefix: str) -> str:
    """INSERT INTO model (every column but id) SELECT t.column or its override."""
    cols = [f.column for f in model._meta.concrete_fields if not f.primary_key]  # type: ignore[attr-defined]
    exprs = [overrides.get(c, f"t.{c}") for c in cols]
    table = model._meta.db_table  # type: ignore[attr-defined]
    return f"{prefix}INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} {source}"


def size_bytes() -> int:
    from django.db import connection

    from lmn.audit.models import AuditEvent
    from lmn.withdrawals.models import Withdrawal, WithdrawalLine

    if connection.vendor == "postgresql":
        tables = [m._meta.db_table for m in (Withdrawal, WithdrawalLine, AuditEvent)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + " + ".join(f"pg_total_relation_size('{t}')" for t in tables))
            return int(cursor.fetchone()[0])
    with connection.cursor() as cursor:  # pages as this connection sees them, WAL included
        cursor.execute("PRAGMA page_count")
        pages = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA page_size")
        return pages * int(cursor.fetchone()[0])


def grow(target: int, first_fresh: int) -> dict[str, float]:
    from django.db import connection, transaction

    from lmn.audit.models import AuditEvent
    from lmn.prescriptions.models import Prescription
    from lmn.withdrawals.models import Withdrawal, WithdrawalLine

    vendor = connection.vendor
    have = Withdrawal.objects.filter(number__startswith="H").count()
    tpl = Withdrawal.objects.exclude(number__startswith="H").order_by("pk").first()
    assert tpl is not None, "history is copied from an order the bench placed"
    line = WithdrawalLine.objects.filter(withdrawal=tpl).first()
    event = AuditEvent.objects.filter(object_type="withdrawals.withdrawal").order_by("pk").first()
    assert line is not None and event is not None
    # only the training world's prescriptions: the ones the bench orders on must stay fresh
    rxs = list(
        Prescription.objects.filter(pk__lt=first_fresh)
        .order_by("pk")
        .values_list("pk", "patient_id", "product_id")[:HELPERS]
    )
    assert rxs, "the training world has prescriptions to spread the history over"
    if vendor == "postgresql":
        day = "now() - (g.n % 730) * interval '1 day'"
        number = "'H' || lpad(g.n::text, 8, '0')"
    else:
        day = "strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (g.n % 730) || ' days')"
        number = "'H' || substr('00000000' || g.n, -8, 8)"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_rx (i integer PRIMARY KEY, rx bigint, "
                       "patient bigint, product bigint)")  # fmt: skip
        cursor.executemany("INSERT INTO bench_rx VALUES (%s, %s, %s, %s)",
                           [(i, *r) for i, r in enumerate(rxs)])  # fmt: skip
    started, before = time.perf_counter(), size_bytes()
    lo = have + 1
    while lo <= target:
        hi = min(target, lo + CHUNK - 1)
        prefix, series = _series(vendor, lo, hi)
        join = f"JOIN bench_rx h ON h.i = g.n % {len(rxs)}"
        w_sql = _copy_sql(
            Withdrawal,
            {"number": number, "patient_id": "h.patient", "placed_at": day, "status": "'delivered'",
             "ordering_unit_id": "t.ordering_unit_id"},
            f"FROM {series} {join} CROSS JOIN {Withdrawal._meta.db_table} t WHERE t.id = {tpl.pk}",
            prefix,
        )  # fmt: skip
        w = Withdrawal._meta.db_table
        number_range = f"w.number BETWEEN 'H{lo:08d}' AND 'H{hi:08d}'"
        l_sql = _copy_sql(
            WithdrawalLine,
            {"withdrawal_id": "w.id", "prescription_id": "h.rx", "product_id": "h.product"},
            f"FROM {w} w JOIN bench_rx h"
            f" ON h.i = CAST(substr(w.number, 2) AS integer) % {len(rxs)}"
            f" CROSS JOIN {WithdrawalLine._meta.db_table} t"
            f" WHERE t.id = {line.pk} AND {number_range}",
            "",
        )  # fmt: skip
        a_sql = _copy_sql(
            AuditEvent,
            {"object_id": "CAST(w.id AS TEXT)", "chain": "'patient:' || w.patient_id",
             "patient_id": "w.patient_id", "at": "w.placed_at"},
            f"FROM {w} w CROSS JOIN {AuditEvent._meta.db_table} t WHERE t.id = {event.pk} "
            f"AND {number_range}",
            "",
        )  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in (w_sql, l_sql, a_sql):
                cursor.execute(sql)
        print(f"    history {hi:,} ({time.perf_counter() - started:.0f} s)", flush=True)
        lo = hi + 1
    # What a year of orders leaves behind is vacuumed and checkpointed as it goes; a bulk
    # load is not, and its first readers would pay for hint bits, the visibility map and a
    # checkpoint's full-page writes while being measured. Done as after any bulk load.
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")
    return {
        "added": max(0, target - have),
        "seconds": time.perf_counter() - started,
        "bytes": size_bytes() - before,
    }


def main() -> None:
    import django

    sys.path.insert(0, str(MAIN))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmn.config.settings")
    django.setup()
    result = grow(int(sys.argv[1]), int(sys.argv[3]))
    Path(sys.argv[2]).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
