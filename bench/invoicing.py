"""The monthly invoicing run over many withdrawal lines: lines per second and peak memory.

    .venv/bin/python bench/invoicing.py [--db sqlite|postgres|both] [--lines 1000000]

For each database: a fresh installation (SQLite in a temporary LMN_DATA_DIR, PostgreSQL
in a database `lmn_bench_invoicing`, or $LMN_BENCH_INVOICING_DB, created and dropped),
migrated; 20 units with a payer per product area (100 payers, every tenth with a Peppol
id), 40 priced products; then, set-based (INSERT ... SELECT over generate_series on
PostgreSQL, a recursive CTE on SQLite), withdrawals of four lines each: a quarter of
--lines in September and --lines in October.

Each month is invoiced in a child process of its own (`run_invoicing`, as the scheduled
job does), which reports its wall time and its peak resident memory (ru_maxrss). The run
streams (lines are read in chunks, written in batches, documents rendered line by line),
so October's peak should be about September's although it has four times the lines; the
documents of one invoice are kept whole (they are stored as issued), so memory follows
the largest invoice, not the month.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MAIN = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = os.environ.get("LMN_BENCH_INVOICING_DB", "lmn_bench_invoicing")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
UNITS = 20
PRODUCTS_PER_AREA = 10
LINES_PER_WITHDRAWAL = 4  # one per area: diabetes, incontinence, nutrition, tube feeding
CHUNK = 50_000  # withdrawals per INSERT


# --- in the child process ----------------------------------------------------------------


def _setup() -> None:
    import django

    django.setup()


def fill(lines: int) -> dict[str, Any]:
    """The units, payers, products and prices by the ORM; the withdrawals set-based."""
    _setup()
    from django.db import connection, transaction

    from lmn.testing import factories as f
    from lmn.withdrawals.models import Withdrawal

    started = time.perf_counter()
    with transaction.atomic():
        for code in f.ALL_AREAS:
            f.area(code)
        units = [f.make_unit(f"{620000 + i:06d}") for i in range(UNITS)]
        from lmn.organisations.models import Payer, UnitPayer

        for i, payer in enumerate(Payer.objects.order_by("pk")):
            if i % 10 == 0:
                payer.peppol_scheme, payer.peppol_id = "0007", "2120000142"
                payer.organisation_number = "2120000142"
                payer.save()
        products = {
            code: [f.make_product(code, price=f"{10 + j}.50") for j in range(PRODUCTS_PER_AREA)]
            for code in f.ALL_AREAS[:LINES_PER_WITHDRAWAL]
        }
        doctor = f.make_user("bench-doctor", unit=units[0], role="lakare")
        patient = f.make_patient()
        rx = f.make_prescription(
            patient=patient, product=products["diabetes"][0], prescriber=doctor, unit=units[0]
        )
        template = Withdrawal.objects.create(
            number="T00000001", patient=patient, ordering_unit=units[0], ordered_by=doctor,
            ordered_by_role="lakare", status="delivered", placed_at="2026-01-01T10:00:00Z",
            destination="door", speed="standard", street="Storgatan 1", postcode="41301",
            city="Göteborg",
        )  # fmt: skip
        payers = {
            (u, a): p
            for u, a, p in UnitPayer.objects.values_list(
                "unit_id", "product_area__code", "payer_id"
            )
        }
    for month, count in (("2026-09", lines // 4), ("2026-10", lines)):
        _withdrawals(connection, template, units, month, count // LINES_PER_WITHDRAWAL)
        _lines(connection, units, products, payers, rx.pk, month)
    return {"seconds": time.perf_counter() - started}


def _series(vendor: str, lo: int, hi: int) -> tuple[str, str]:
    if vendor == "postgresql":
        return "", f"generate_series({lo}, {hi}) AS g(n)"
    cte = f"WITH RECURSIVE g(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM g WHERE n < {hi}) "
    return cte, "g"


def _withdrawals(connection: Any, template: Any, units: list[Any], month: str, n: int) -> None:
    from django.db import transaction

    from lmn.withdrawals.models import Withdrawal

    vendor = connection.vendor
    prefix_letter = "S" if month.endswith("09") else "O"
    cols = [f.column for f in Withdrawal._meta.concrete_fields if not f.primary_key]
    per_unit = max(1, n // len(units))
    for i, unit in enumerate(units):
        for lo in range(0, per_unit, CHUNK):
            hi = min(per_unit, lo + CHUNK) - 1
            base = i * 1_000_000
            if vendor == "postgresql":
                number = f"'{prefix_letter}' || lpad((n + {base})::text, 8, '0')"
                placed = f"TIMESTAMPTZ '{month}-01 08:00:00+00' + ((n % 28) * INTERVAL '1 day')"
            else:
                number = f"'{prefix_letter}' || printf('%08d', n + {base})"
                placed = f"datetime('{month}-01 08:00:00', '+' || (n % 28) || ' days')"
            overrides = {"number": number, "placed_at": placed, "ordering_unit_id": str(unit.pk)}
            exprs = [overrides.get(c, f"t.{c}") for c in cols]
            cte, series = _series(vendor, lo, hi)
            sql = (
                f"{cte}INSERT INTO {Withdrawal._meta.db_table} ({', '.join(cols)}) "
                f"SELECT {', '.join(exprs)} FROM {series}, {Withdrawal._meta.db_table} t "
                f"WHERE t.id = {template.pk}"
            )
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)


def _lines(
    connection: Any,
    units: list[Any],
    products: dict[str, list[Any]],
    payers: dict[tuple[int, str], int],
    rx: int,
    month: str,
) -> None:
    from django.db import transaction

    from lmn.withdrawals.models import Withdrawal, WithdrawalLine

    letter = "S" if month.endswith("09") else "O"
    w_table, l_table = Withdrawal._meta.db_table, WithdrawalLine._meta.db_table
    for unit in units:
        for area, items in products.items():
            first = items[0].pk
            assert [p.pk for p in items] == list(range(first, first + len(items)))
            payer = payers[(unit.pk, area)]
            sql = (
                f"INSERT INTO {l_table} (withdrawal_id, prescription_id, product_id, quantity, "
                f"payer_id, reserved_quantity) "
                f"SELECT w.id, {rx}, {first} + (w.id % {len(items)}), 1 + (w.id % 5), {payer}, 0 "
                f"FROM {w_table} w WHERE w.ordering_unit_id = {unit.pk} "
                f"AND w.number LIKE '{letter}%'"
            )
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)


def run(month: str) -> dict[str, Any]:
    """One month's run, as the scheduled job does it; time and peak memory of this process."""
    _setup()
    import datetime as dt

    import time_machine

    from lmn.core.actor import Actor
    from lmn.invoicing.models import Invoice
    from lmn.invoicing.services.run import run_invoicing
    from lmn.withdrawals.models import WithdrawalLine

    period = dt.date.fromisoformat(f"{month}-01")
    letter = "S" if month.endswith("09") else "O"
    lines = WithdrawalLine.objects.filter(withdrawal__number__startswith=letter).count()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with time_machine.travel(dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC), tick=True):
        result = run_invoicing(period, actor=Actor.system("bench"))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    largest = Invoice.objects.filter(period=period).order_by("-line_count").first()
    return {
        "month": month, "lines": lines, "seconds": seconds, "lines_per_s": lines / seconds,
        "invoices": result.issued, "problems": len(result.problems),
        "peak_rss_mb": peak / 1024, "rss_before_run_mb": before / 1024,
        "largest_invoice_lines": largest.line_count if largest else 0,
    }  # fmt: skip


# --- the parent ----------------------------------------------------------------------------


def child(env: dict[str, str], *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, *args], cwd=MAIN, env=env, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run_db(db: str, lines: int) -> list[dict[str, Any]]:
    print(f"\n== {db} ==", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LMN_DATA_DIR")}
    env["DJANGO_SETTINGS_MODULE"] = "lmn.config.settings"
    env["PYTHONPATH"] = str(MAIN)
    tmp = Path(tempfile.mkdtemp(prefix=f"lmn-bench-invoicing-{db}-"))
    env["LMN_DATA_DIR"] = str(tmp)
    if db == "postgres":
        import psycopg

        env["DATABASE_URL"] = PG_URL
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=MAIN, env=env,
                       check=True)  # fmt: skip
        filled = child(env, "_fill", str(lines))
        print(f"  data built in {filled['seconds']:.0f} s", flush=True)
        results = [child(env, "_run", month) for month in ("2026-09", "2026-10")]
        for r in results:
            print(
                f"  {r['month']}: {r['lines']:>9,} lines in {r['seconds']:7.1f} s = "
                f"{r['lines_per_s']:8,.0f} lines/s; {r['invoices']} invoices "
                f"(largest {r['largest_invoice_lines']:,} lines); peak memory "
                f"{r['peak_rss_mb']:.0f} MB (before the run {r['rss_before_run_mb']:.0f} MB)",
                flush=True,
            )
        return [{"db": db, **r} for r in results]
    finally:
        if db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_fill":
        print(json.dumps(fill(int(sys.argv[2]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_run":
        print(json.dumps(run(sys.argv[2])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--lines", type=int, default=1_000_000, help="October's lines")
    args = parser.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = [row for db in dbs for row in run_db(db, args.lines)]
    print("\n| db | month | lines | lines/s | peak memory MB |\n|---|---|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['db']} | {r['month']} | {r['lines']:,} | {r['lines_per_s']:,.0f} "
            f"| {r['peak_rss_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
