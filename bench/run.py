"""Benchmarks of LMN over loopback HTTP. Prints figures; asserts nothing.

    .venv/bin/python bench/run.py [--db sqlite|postgres|both] [--patients N] [--quick]

For each database it builds a fresh installation (SQLite in a temporary LMN_DATA_DIR,
PostgreSQL in a database `lmn_bench` that is created and dropped), migrates, builds a
small training world plus ready-to-order patients and a register of N persons, then:

(a) withdrawals: POST /api/v1/withdrawals under gunicorn (2 workers × 4 threads, as
    served in production): the highest rate a closed loop of clients reaches, and
    p50/p99 latency at a fixed arrival rate (open loop, latency counted from each
    request's scheduled time, so a slow server cannot hide its queue). The same two
    measurements against a minimal Django view doing the same writes
    (bench/minimal_app.py) give the floor to compare with.
(b) patient lookup: GET /api/v1/patients?identifier=… against a register of N persons
    (default 2,000,000), at the same fixed rate and in a closed loop.

Everything is bounded in count and time, talks only to 127.0.0.1, and stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import queue
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAIN = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_URL = "postgres://postgres@127.0.0.1:5432/lmn_bench"
GUNICORN = [
    str(Path(sys.executable).parent / "gunicorn"),
    "-w",
    "2",
    "-k",
    "gthread",
    "--threads",
    "4",
]
LOGIN = {"username": "forskrivare", "password": "demo", "unit": "602154"}
# a door code: OUT-5 asks for one at every multi-family address, and is happy with any
DELIVERY = {"destination": "door", "speed": "standard", "door_code": "1234"}


# --- preparing a database (runs in a child process with the target's environment) -------------


def prepare(out: Path, register_size: int, order_patients: int) -> None:
    """Training world + `order_patients` patients each with one prescription + register."""
    import django

    sys.path.insert(0, str(MAIN))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmn.config.settings")
    django.setup()

    import datetime as dt

    from django.db import connection, transaction

    from lmn.accounts.models import User
    from lmn.catalog.models import Product
    from lmn.core import clock
    from lmn.demo.world import SEED, birth_date_of, build_world, register_rows
    from lmn.organisations.models import PrescribingUnit, UnitPayer
    from lmn.patients.models import Patient, RegisterRecord
    from lmn.prescriptions.models import Prescription

    t0 = time.perf_counter()
    build_world(patients=2000)
    t1 = time.perf_counter()
    print(f"  training world: {t1 - t0:.1f} s", flush=True)

    existing = set(RegisterRecord.objects.values_list("identifier", flat=True))
    total = max(register_size, order_patients)
    rng = random.Random(SEED + 7)
    lookup_idx = set(rng.sample(range(total), min(total, 20_000)))
    columns = [
        "identifier", "first_name", "last_name", "street", "postcode", "city", "dwelling",
        "region", "region_name", "protected",
    ]  # fmt: skip
    table = RegisterRecord._meta.db_table
    order_people: list[dict[str, Any]] = []
    lookups: list[str] = []
    rows = register_rows(total, seed=SEED + 99, exclude=existing)
    chunk: list[tuple[Any, ...]] = []

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", chunk
                )
        chunk.clear()

    for i, row in enumerate(rows):
        chunk.append(tuple(row[c] for c in columns))
        if i < order_patients:
            order_people.append(row)
        if i in lookup_idx:
            pnr = row["identifier"]
            lookups.append(f"{pnr[:8]}-{pnr[8:]}")
        if len(chunk) >= 100_000:
            flush()
    if chunk:
        flush()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    t2 = time.perf_counter()
    print(f"  register: {total:,} persons in {t2 - t1:.1f} s", flush=True)

    unit = PrescribingUnit.objects.get(customer_number="602154")
    prescriber = User.objects.get(username="forskrivare")
    product = Product.objects.filter(area__code="diabetes", procured=True, active=True).first()
    assert product is not None
    payer_id = UnitPayer.objects.get(unit=unit, product_area=product.area).payer_id
    today = clock.today()
    with transaction.atomic():
        patients = Patient.objects.bulk_create(
            [
                Patient(
                    identity_kind="personnummer",
                    identifier=p["identifier"],
                    first_name=p["first_name"],
                    last_name=p["last_name"],
                    birth_date=birth_date_of(p["identifier"]),
                    street=p["street"],
                    postcode=p["postcode"],
                    city=p["city"],
                    dwelling=p["dwelling"],
                    resident_region="VG",
                )
                for p in order_people
            ],
            batch_size=5000,
        )
        prescriptions = Prescription.objects.bulk_create(
            [
                Prescription(
                    patient=patient,
                    product=product,
                    unit=unit,
                    prescriber=prescriber,
                    consumption_amount=1,
                    consumption_period="day",
                    valid_from=today,
                    valid_until=today + dt.timedelta(days=365),
                    max_supply_days=90,
                )
                for patient in patients
            ],
            batch_size=5000,
        )
    jobs = [
        {
            "patient_id": p.patient_id,
            "prescription_id": p.pk,
            "product_id": product.pk,
            "payer_id": payer_id,
            "quantity": 30,
        }
        for p in prescriptions
    ]
    random.Random(SEED).shuffle(lookups)
    out.write_text(json.dumps({"jobs": jobs, "lookups": lookups}))
    print(f"  {len(jobs):,} patients ready to order: {time.perf_counter() - t2:.1f} s", flush=True)


# --- HTTP load -------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port = port
        self.headers = headers or {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
             ) -> tuple[int, bytes]:  # fmt: skip
        all_headers = {**self.headers, **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=payload, headers=all_headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, b""


Request = Callable[[Client, Any], int]  # returns the HTTP status


@dataclass
class Result:
    ok: int = 0
    failed: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(q) - 1] * 1000

    def add(self, status: int, latency: float, ok_statuses: tuple[int, ...]) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status in ok_statuses:
            self.ok += 1
            self.latencies.append(latency)
        else:
            self.failed += 1


def closed_loop(port: int, headers: dict[str, str], request: Request, jobs: Iterator[Any],
                *, clients: int, seconds: float, ok: tuple[int, ...]) -> Result:  # fmt: skip
    """`clients` threads, each sending its next request as soon as the last one answered."""
    result, lock = Result(), threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        client = Client(port, headers)
        while time.perf_counter() < deadline:
            with lock:
                job = next(jobs, None)
            if job is None:
                return
            t0 = time.perf_counter()
            status = request(client, job)
            latency = time.perf_counter() - t0
            with lock:
                result.add(status, latency, ok)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    result.seconds = time.perf_counter() - start
    return result


def open_loop(port: int, headers: dict[str, str], request: Request, jobs: Iterator[Any], *,
              rate: float, count: int, ok: tuple[int, ...], senders: int = 48
              ) -> Result:  # fmt: skip
    """`count` requests at `rate`/s on a fixed schedule; latency from the scheduled time."""
    result, lock = Result(), threading.Lock()
    work: queue.Queue[tuple[float, Any] | None] = queue.Queue()
    start = time.perf_counter() + 0.5
    for i in range(count):
        job = next(jobs, None)
        if job is None:
            break
        work.put((start + i / rate, job))
    for _ in range(senders):
        work.put(None)

    def worker() -> None:
        client = Client(port, headers)
        while (item := work.get()) is not None:
            scheduled, job = item
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status = request(client, job)
            latency = time.perf_counter() - scheduled
            with lock:
                result.add(status, latency, ok)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(count / rate + 120)
    result.seconds = time.perf_counter() - start
    return result


def place_order(client: Client, job: dict[str, Any]) -> int:
    body = {
        "patient_id": job["patient_id"],
        "lines": [{"prescription_id": job["prescription_id"], "quantity": job["quantity"]}],
        "delivery": DELIVERY,
    }
    status, _ = client.call(
        "POST", "/api/v1/withdrawals", body, {"Idempotency-Key": str(uuid.uuid4())}
    )
    return status


def place_minimal(client: Client, job: dict[str, Any]) -> int:
    status, _ = client.call("POST", "/bench/withdrawal", job)
    return status


def lookup(client: Client, identifier: str) -> int:
    status, _ = client.call("GET", f"/api/v1/patients?identifier={identifier}")
    return status


# --- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path) -> Iterator[int]:
    port = free_port()
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [*GUNICORN, app, "-b", f"127.0.0.1:{port}", "--chdir", str(MAIN)],
            env=env, stdout=out, stderr=out, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({proc.returncode}); see {log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/__ready__")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the group this call started, nothing else
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


# --- one database ----------------------------------------------------------------------------


@dataclass
class Row:
    db: str
    endpoint: str
    mode: str
    result: Result
    base: Result | None = None  # the minimal view's figure to compare with


def run_db(db: str, args: argparse.Namespace, rows: list[Row]) -> None:
    print(f"\n== {db} ==", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LMN_DATA_DIR")}
    env["DJANGO_SETTINGS_MODULE"] = "lmn.config.settings"
    env["PYTHONPATH"] = str(MAIN)
    tmp = Path(tempfile.mkdtemp(prefix=f"lmn-bench-{db}-"))
    env["LMN_DATA_DIR"] = str(tmp)  # static files etc.; the SQLite file too when on SQLite
    if db == "postgres":
        import psycopg

        env["DATABASE_URL"] = PG_BENCH_URL
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS lmn_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE lmn_bench")
    log = tmp / "gunicorn.log"
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=MAIN, env=env, check=True
        )
        prepared = tmp / "prepared.json"
        subprocess.run(
            [sys.executable, __file__, "_prepare", str(prepared), str(args.patients),
             str(args.order_patients)],
            cwd=MAIN, env=env, check=True,
        )  # fmt: skip
        data = json.loads(prepared.read_text())
        jobs: Iterator[dict[str, Any]] = iter(data["jobs"])
        measure(db, args, env, log, jobs, data["lookups"], rows)
    finally:
        if db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS lmn_bench WITH (FORCE)")
        if args.keep:
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def measure(db: str, args: argparse.Namespace, env: dict[str, str], log: Path,
            jobs: Iterator[dict[str, Any]], lookups: list[str], rows: list[Row]
            ) -> None:  # fmt: skip
    created = (201,)
    n_open = int(args.rate * args.open_seconds)

    # The minimal view checks no entitlement, so all its orders go against one reserved
    # prescription and leave the others fresh for the real endpoint.
    min_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.minimal_settings"}
    all_jobs = list(jobs)
    reserved = all_jobs.pop()
    with gunicorn("bench.minimal_app:application", min_env, log) as port:
        closed_loop(port, {}, place_minimal, itertools.repeat(reserved), clients=args.clients,
                    seconds=1, ok=created)  # fmt: skip
        min_closed = closed_loop(port, {}, place_minimal, itertools.repeat(reserved),
                                 clients=args.clients, seconds=args.closed_seconds,
                                 ok=created)  # fmt: skip
        report(db, "minimal view", "closed", min_closed)
        min_open = open_loop(port, {}, place_minimal, itertools.repeat(reserved),
                             rate=args.rate, count=n_open, ok=created)  # fmt: skip
        report(db, "minimal view", f"{args.rate:g}/s", min_open)
    rows.append(Row(db, "minimal view", "closed", min_closed))
    rows.append(Row(db, "minimal view", f"{args.rate:g}/s", min_open))

    jobs = iter(all_jobs)  # each real order needs a prescription nothing was withdrawn on
    with gunicorn("lmn.config.wsgi", env, log) as port:
        status, body = Client(port).call("POST", "/api/v1/auth/token", LOGIN)
        if status != 200:
            raise RuntimeError(f"login failed: {status} {body[:300]!r}")
        headers = {"Authorization": f"Bearer {json.loads(body)['token']}"}
        warm = closed_loop(port, headers, place_order, jobs, clients=4, seconds=1, ok=created)
        if warm.ok == 0:
            raise RuntimeError(f"no order went through while warming up: {warm.statuses}")
        api_closed = closed_loop(port, headers, place_order, jobs, clients=args.clients,
                                 seconds=args.closed_seconds, ok=created)  # fmt: skip
        report(db, "POST /api/v1/withdrawals", "closed", api_closed)
        api_open = open_loop(port, headers, place_order, jobs, rate=args.rate, count=n_open,
                             ok=created)  # fmt: skip
        report(db, "POST /api/v1/withdrawals", f"{args.rate:g}/s", api_open)
        rows.append(Row(db, "POST /api/v1/withdrawals", "closed", api_closed, min_closed))
        rows.append(Row(db, "POST /api/v1/withdrawals", f"{args.rate:g}/s", api_open, min_open))

        label = f"GET /api/v1/patients ({args.patients:,} in register)"
        half = len(lookups) // 2
        look_open = open_loop(port, headers, lookup, iter(lookups[:half]), rate=args.rate,
                              count=n_open, ok=(200,))  # fmt: skip
        report(db, label, f"{args.rate:g}/s", look_open)
        look_closed = closed_loop(port, headers, lookup, iter(lookups[half:]),
                                  clients=args.clients, seconds=args.closed_seconds,
                                  ok=(200,))  # fmt: skip
        report(db, label, "closed", look_closed)
        rows.append(Row(db, label, f"{args.rate:g}/s", look_open))
        rows.append(Row(db, label, "closed", look_closed))


def report(db: str, endpoint: str, mode: str, r: Result) -> None:
    others = {s: n for s, n in r.statuses.items() if s not in (200, 201)}
    print(
        f"  {endpoint} [{mode}]: {r.ok} ok in {r.seconds:.1f} s = {r.rate:.0f}/s, "
        f"p50 {r.pct(50):.1f} ms, p99 {r.pct(99):.1f} ms"
        + (f", other statuses {others}" if others else ""),
        flush=True,
    )


def print_table(rows: list[Row], args: argparse.Namespace) -> None:
    print(
        f"\nResults (gunicorn 2 workers × 4 gthreads; closed loop = {args.clients} clients for "
        f"{args.closed_seconds:g} s; {args.rate:g}/s = open loop, "
        f"{int(args.rate * args.open_seconds)} requests, latency from scheduled send time)\n"
    )
    header = ("db", "endpoint", "load", "ok", "rate/s", "p50 ms", "p99 ms", "vs minimal view")
    table = [header]
    for row in rows:
        r, b = row.result, row.base
        versus = ""
        if b is not None and row.mode == "closed" and b.rate:
            versus = f"{r.rate / b.rate:.2f}× rate"
        elif b is not None and b.latencies:
            versus = f"{r.pct(50) / b.pct(50):.1f}× p50, {r.pct(99) / b.pct(99):.1f}× p99"
        table.append((row.db, row.endpoint, row.mode, str(r.ok), f"{r.rate:.0f}",
                      f"{r.pct(50):.1f}", f"{r.pct(99):.1f}", versus))  # fmt: skip
    widths = [max(len(t[i]) for t in table) for i in range(len(header))]
    for n, line in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_prepare":
        prepare(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--patients", type=int, default=2_000_000,
                        help="persons in the register for the lookup benchmark")  # fmt: skip
    parser.add_argument("--order-patients", type=int, default=15_000,
                        help="patients with a fresh prescription (one order each)")  # fmt: skip
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--closed-seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--open-seconds", type=float, default=20)
    parser.add_argument(
        "--quick", action="store_true", help="20,000 in the register, 5 s closed, 10 s open loop"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    args = parser.parse_args()
    if args.quick:
        args.patients, args.closed_seconds, args.open_seconds = 20_000, 5, 10
        args.order_patients = min(args.order_patients, 6000)
    rows: list[Row] = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run_db(db, args, rows)
    print_table(rows, args)


if __name__ == "__main__":
    main()
