"""Benchmarks of LMN over loopback HTTP. Prints figures and a table of targets.

    .venv/bin/python bench/run.py [--db sqlite|postgres|both] [--patients N] [--quick]

For each database it builds a fresh installation (SQLite in a temporary LMN_DATA_DIR,
PostgreSQL in a database `lmn_bench`, or $LMN_BENCH_DB, created and dropped), migrates,
builds a small training world plus ready-to-order patients and a register of N persons:

(a) withdrawals: POST /api/v1/withdrawals under gunicorn (2 workers × 4 threads, as
    served in production): the highest rate a closed loop of clients reaches, and
    p50/p99 latency at a fixed arrival rate (open loop, latency counted from each
    request's scheduled time, so a slow server cannot hide its queue). The same two
    measurements against a minimal Django view doing the same writes
    (bench/minimal_app.py) give the floor to compare with.
(b) patient lookup: GET /api/v1/patients?identifier=… against a register of N persons
    (default 2,000,000), at the same fixed rate and in a closed loop, beside a minimal
    view doing the same indexed read plus one audit insert.
(c) in-process (bench/inproc.py): queries per order (CaptureQueriesContext), and the
    server time of the portal's ordering page (GET, submit) against the API's.
(d) history (bench/history.py): order and lookup p99 at the fixed rate with 10,000 and
    then 1,000,000 earlier withdrawals, built set-based; build time and size printed.

Everything is bounded in count and time, talks only to 127.0.0.1, and stops by itself.
`--quick` uses smaller sizes (20,000 persons, 200,000 in history) and says so.
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
PG_BENCH_DB = os.environ.get("LMN_BENCH_DB", "lmn_bench")  # parallel runs: one name each
PG_BENCH_URL = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
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


def lookup_minimal(client: Client, identifier: str) -> int:
    status, _ = client.call("GET", f"/bench/patient?identifier={identifier}")
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
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
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
                conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
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
    half = len(lookups) // 2
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
        min_look_open = open_loop(port, {}, lookup_minimal, iter(lookups[:half]),
                                  rate=args.rate, count=n_open, ok=(200,))  # fmt: skip
        report(db, "minimal lookup + audit", f"{args.rate:g}/s", min_look_open)
        min_look_closed = closed_loop(port, {}, lookup_minimal, iter(lookups[half:]),
                                      clients=args.clients, seconds=args.closed_seconds,
                                      ok=(200,))  # fmt: skip
        report(db, "minimal lookup + audit", "closed", min_look_closed)
    rows.append(Row(db, "minimal view", "closed", min_closed))
    rows.append(Row(db, "minimal view", f"{args.rate:g}/s", min_open))
    rows.append(Row(db, "minimal lookup + audit", f"{args.rate:g}/s", min_look_open))
    rows.append(Row(db, "minimal lookup + audit", "closed", min_look_closed))

    jobs = iter(all_jobs)  # each real order needs a prescription nothing was withdrawn on
    t = Targets(db)
    with gunicorn("lmn.config.wsgi", env, log) as port:
        headers = login(port)
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
        look_open = open_loop(port, headers, lookup, iter(lookups[:half]), rate=args.rate,
                              count=n_open, ok=(200,))  # fmt: skip
        report(db, label, f"{args.rate:g}/s", look_open)
        look_closed = closed_loop(port, headers, lookup, iter(lookups[half:]),
                                  clients=args.clients, seconds=args.closed_seconds,
                                  ok=(200,))  # fmt: skip
        report(db, label, "closed", look_closed)
        rows.append(Row(db, label, f"{args.rate:g}/s", look_open, min_look_open))
        rows.append(Row(db, label, "closed", look_closed, min_look_closed))
    t.ratio("order closed-loop rate ≥ 0.5× minimal view", api_closed, min_closed, 0.5)
    t.limit(f"order p99 at {args.rate:g}/s ≤ 50 ms", api_open.pct(99), 50, "ms")
    t.limit(f"lookup p99 at {args.rate:g}/s ≤ 20 ms ({args.patients:,} persons)",
            look_open.pct(99), 20, "ms")  # fmt: skip
    t.ratio("lookup closed-loop rate ≥ 0.5× minimal lookup + audit", look_closed,
            min_look_closed, 0.5)  # fmt: skip
    t.sizing["orders/s per core"] = api_closed.rate / CORES

    inproc_figures(env, tmp_of(log), list(itertools.islice(jobs, 41)), t)
    first_fresh = min(j["prescription_id"] for j in all_jobs)
    history_figures(db, args, env, log, jobs, lookups[:n_open], first_fresh, t)
    TARGETS.append(t)


def login(port: int) -> dict[str, str]:
    status, body = Client(port).call("POST", "/api/v1/auth/token", LOGIN)
    if status != 200:
        raise RuntimeError(f"login failed: {status} {body[:300]!r}")
    return {"Authorization": f"Bearer {json.loads(body)['token']}"}


def tmp_of(log: Path) -> Path:
    return log.parent


def inproc_figures(env: dict[str, str], tmp: Path, jobs: list[dict[str, Any]], t: Targets
                   ) -> None:  # fmt: skip
    """Queries per order and portal vs API server time, in-process (bench/inproc.py)."""
    src, out = tmp / "inproc-jobs.json", tmp / "inproc.json"
    src.write_text(json.dumps(jobs))
    subprocess.run([sys.executable, str(MAIN / "bench" / "inproc.py"), str(src), str(out)],
                   cwd=MAIN, env=env, check=True)  # fmt: skip
    got = json.loads(out.read_text())
    ms, queries = got["median_ms"], got["queries"]
    print(f"  in-process (test client, medians of {len(jobs) // 2}): API order "
          f"{ms['api']:.1f} ms / {queries.get('api')} queries ({queries.get('api_tx')} of "
          f"them BEGIN/COMMIT); portal GET form "
          f"{ms['get']:.1f} ms / {queries.get('get')} queries; portal submit "
          f"{ms['submit']:.1f} ms / {queries.get('submit')} queries; statuses "
          f"{got['statuses']}", flush=True)  # fmt: skip
    t.limit("queries per order ≤ 10 (aim)", float(queries.get("api", 999)), 10, "queries",
            f"{queries.get('api_tx')} of them BEGIN/COMMIT")  # fmt: skip
    t.limit("portal ordering page GET ≤ 2× API order server time", ms["get"] / ms["api"], 2, "×")
    t.limit("portal ordering submit ≤ 2× API order server time", ms["submit"] / ms["api"], 2,
            "×")  # fmt: skip


def history_figures(db: str, args: argparse.Namespace, env: dict[str, str], log: Path,
                    jobs: Iterator[dict[str, Any]], lookups: list[str], first_fresh: int,
                    t: Targets) -> None:  # fmt: skip
    """Order and lookup p99 at the fixed rate with a small, then a large history."""
    n = int(args.rate * args.open_seconds)
    p99: dict[int, tuple[float, float]] = {}
    for size in (args.history_small, args.history_large):
        out = tmp_of(log) / f"history-{size}.json"
        print(f"  building history up to {size:,} earlier withdrawals", flush=True)
        subprocess.run([sys.executable, str(MAIN / "bench" / "history.py"), str(size), str(out),
                        str(first_fresh)], cwd=MAIN, env=env, check=True)  # fmt: skip
        built = json.loads(out.read_text())
        print(f"  history: {built['added']:,} added in {built['seconds']:.0f} s, "
              f"+{built['bytes'] / 1e6:.0f} MB", flush=True)  # fmt: skip
        if size == args.history_large and built["added"]:
            t.sizing["MB per 1M withdrawals (withdrawal+line+audit)"] = (
                built["bytes"] / built["added"] * 1e6 / 1e6
            )
            t.sizing[f"history build s ({built['added']:,} rows)"] = built["seconds"]
        with gunicorn("lmn.config.wsgi", env, log) as port:
            headers = login(port)
            closed_loop(port, headers, place_order, jobs, clients=4, seconds=1, ok=(201,))
            order = open_loop(port, headers, place_order, jobs, rate=args.rate, count=n,
                              ok=(201,))  # fmt: skip
            report(db, f"order, {size:,} in history", f"{args.rate:g}/s", order)
            look = open_loop(port, headers, lookup, iter(lookups), rate=args.rate, count=n,
                             ok=(200,))  # fmt: skip
            report(db, f"lookup, {size:,} in history", f"{args.rate:g}/s", look)
        p99[size] = (order.pct(99), look.pct(99))
    small, large = p99[args.history_small], p99[args.history_large]
    label = f"{args.history_large:,} vs {args.history_small:,} in history"
    t.limit(f"order p99 {label} ≤ 1.2×", large[0] / small[0], 1.2, "×",
            f"{large[0]:.1f} vs {small[0]:.1f} ms")  # fmt: skip
    t.limit(f"lookup p99 {label} ≤ 1.2×", large[1] / small[1], 1.2, "×",
            f"{large[1]:.1f} vs {small[1]:.1f} ms")  # fmt: skip


CORES = os.cpu_count() or 1


@dataclass
class Targets:
    """One database's targets: (what, measured, PASS/FAIL), plus sizing figures."""

    db: str
    lines: list[tuple[str, str, bool]] = field(default_factory=list)
    sizing: dict[str, float] = field(default_factory=dict)

    def limit(self, what: str, value: float, most: float, unit: str, note: str = "") -> None:
        shown = f"{value:.2f} {unit}" + (f" ({note})" if note else "")
        self.lines.append((what, shown, value <= most))

    def ratio(self, what: str, r: Result, base: Result, least: float) -> None:
        value = r.rate / base.rate if base.rate else 0.0
        self.lines.append((what, f"{value:.2f}× ({r.rate:.0f}/s vs {base.rate:.0f}/s)",
                           value >= least))  # fmt: skip


TARGETS: list[Targets] = []


def print_targets(args: argparse.Namespace) -> None:
    scale = "QUICK (smaller sizes)" if args.quick else "full"
    print(f"\nTargets ({scale}: register {args.patients:,} persons, history "
          f"{args.history_small:,} vs {args.history_large:,}; {CORES} cores shared by server, "
          "database and load generator)\n")  # fmt: skip
    table = [("db", "target", "measured", "")]
    for t in TARGETS:
        table += [(t.db, what, shown, "PASS" if ok else "FAIL") for what, shown, ok in t.lines]
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    for n, line in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print("\nSizing (for docs/deployment.md)")
    for t in TARGETS:
        for what, value in t.sizing.items():
            print(f"  {t.db}: {what}: {value:,.1f}")


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
        "--quick",
        action="store_true",
        help="20,000 in the register, 200,000 in history, 5 s closed, 10 s open loop",
    )
    parser.add_argument("--history-small", type=int, default=10_000)
    parser.add_argument(
        "--history-large", type=int, default=None,
        help="earlier withdrawals, large case (1,000,000; quick 200,000)",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    args = parser.parse_args()
    if args.quick:
        args.patients, args.closed_seconds, args.open_seconds = 20_000, 5, 10
        args.order_patients = min(args.order_patients, 6000)
        args.history_large = args.history_large or 200_000
        print("QUICK run: smaller sizes than the targets name (see the table's heading)")
    args.history_large = args.history_large or 1_000_000
    rows: list[Row] = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run_db(db, args, rows)
    print_table(rows, args)
    print_targets(args)


if __name__ == "__main__":
    main()
