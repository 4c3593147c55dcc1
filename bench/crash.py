"""Crash safety: withdrawals survive SIGKILL of the server. Prints figures; asserts nothing.

    .venv/bin/python bench/crash.py [--db sqlite|postgres|both] [--orders N] [--quick]

For each database (SQLite in a fresh temporary LMN_DATA_DIR; PostgreSQL in a database
`lmn_crash`, created and dropped) it migrates and builds the world as bench/run.py does,
serves with gunicorn as `make run` does (2 workers x 4 threads, loopback, a free port),
and has many client threads place one withdrawal each, every one under its own
Idempotency-Key. Meanwhile it kills server processes with SIGKILL again and again (in
turn one worker, which the master replaces, and the whole server, which it restarts).
A client that got no answer (or a 5xx) retries with the same key until answered.

At the end it reports: acknowledged withdrawals lost (answered 201/200 but not in the
database; must be 0), duplicates (more than one withdrawal for one key's prescription;
must be 0), 500 answers (must be 0), and whether `manage.py verify_audit` still finds
the audit trail intact. Bounded in count and time; talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import DELIVERY, GUNICORN, LOGIN, MAIN, PG_ADMIN_URL, Client, free_port

PG_CRASH_DB = "lmn_crash"
PG_CRASH_URL = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_CRASH_DB
SEAL_KEY = "bench-crash-seal-key"


# --- the server, killable --------------------------------------------------------------------


class Server:
    """gunicorn in its own process group on a fixed port, started again after each kill."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.port = env, log, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*GUNICORN, "lmn.config.wsgi", "-b", f"127.0.0.1:{self.port}",
                 "--chdir", str(MAIN)],
                env=self.env, stdout=out, stderr=out, start_new_session=True,
            )  # fmt: skip
        deadline = time.time() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {self.log}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", "/__ready__")
                conn.getresponse().read()
                conn.close()
                return
            if time.time() > deadline:
                raise RuntimeError(f"gunicorn did not answer in 60 s; see {self.log}")
            time.sleep(0.1)

    def workers(self) -> list[int]:
        assert self.proc is not None
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        with contextlib.suppress(OSError):
            return [int(p) for p in path.read_text().split()]
        return []

    def kill_worker(self) -> bool:
        """SIGKILL one worker (the master forks another). True if one was killed."""
        workers = self.workers()
        if not workers:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(random.choice(workers), signal.SIGKILL)
        return True

    def kill_all(self) -> None:
        """SIGKILL the whole server: master and workers, the group this script started."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(15)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill_all()


# --- clients ---------------------------------------------------------------------------------


@dataclass
class Tally:
    acknowledged: dict[int, str] = field(default_factory=dict)  # prescription id -> U-number
    statuses: dict[int, int] = field(default_factory=dict)  # every answer, retries included
    retries: int = 0
    gave_up: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def place_until_answered(
    client: Client, job: dict[str, Any], tally: Tally, deadline: float
) -> None:
    """One withdrawal under one key; no answer or a 5xx means: send the same again."""
    body = {
        "patient_id": job["patient_id"],
        "lines": [{"prescription_id": job["prescription_id"], "quantity": job["quantity"]}],
        "delivery": DELIVERY,
    }
    key = str(uuid.uuid4())
    while time.time() < deadline:
        status, raw = client.call("POST", "/api/v1/withdrawals", body, {"Idempotency-Key": key})
        with tally.lock:
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
        if status in (200, 201):
            with tally.lock:
                tally.acknowledged[job["prescription_id"]] = json.loads(raw)["number"]
            return
        if status not in (0, 500, 502, 503, 504):
            return  # a refusal (4xx) is an answer too; counted in statuses
        with tally.lock:
            tally.retries += 1
        time.sleep(0.1)
    with tally.lock:
        tally.gave_up += 1


def run_clients(port: int, token: str, jobs: list[dict[str, Any]], clients: int,
                deadline: float, tally: Tally) -> None:  # fmt: skip
    work: queue.Queue[dict[str, Any]] = queue.Queue()
    for job in jobs:
        work.put(job)

    def worker() -> None:
        client = Client(port, {"Authorization": f"Bearer {token}"})
        while time.time() < deadline:
            try:
                job = work.get_nowait()
            except queue.Empty:
                return
            place_until_answered(client, job, tally, deadline)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.time()) + 30)


def killer(server: Server, stop: threading.Event, every: float, kills: int) -> list[str]:
    """Kill server processes `kills` times, alternately one worker and the whole server."""
    done: list[str] = []
    for n in range(kills):
        if stop.wait(every * random.uniform(0.5, 1.5)):
            break
        if n % 2 == 0 and server.kill_worker():
            done.append("worker")
        else:
            server.kill_all()
            done.append("server")
            server.start()
    return done


# --- one database ----------------------------------------------------------------------------


def count_in_db(env: dict[str, str], out: Path, prescription_ids: list[int]) -> dict[str, Any]:
    ids = out.with_suffix(".ids.json")
    ids.write_text(json.dumps(prescription_ids))
    subprocess.run([sys.executable, __file__, "_count", str(ids), str(out)], cwd=MAIN, env=env,
                   check=True)  # fmt: skip
    return dict(json.loads(out.read_text()))


def _count(ids_file: Path, out: Path) -> None:
    """In a child with the target's environment: the withdrawals per prescription."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmn.config.settings")
    django.setup()
    from lmn.withdrawals.models import WithdrawalLine

    ids = json.loads(ids_file.read_text())
    numbers: dict[str, list[str]] = {}
    rows = WithdrawalLine.objects.filter(prescription_id__in=ids).values_list(
        "prescription_id", "withdrawal__number"
    )
    for prescription_id, number in rows:
        numbers.setdefault(str(prescription_id), []).append(number)
    out.write_text(json.dumps(numbers))


@dataclass
class Figures:
    db: str
    orders: int
    acknowledged: int
    lost: int
    duplicates: int
    errors_500: int
    retries: int
    gave_up: int
    kills: str
    audit_intact: bool
    seconds: float


def run_db(db: str, args: argparse.Namespace) -> Figures:
    print(f"\n== {db} ==", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LMN_DATA_DIR")}
    env |= {"DJANGO_SETTINGS_MODULE": "lmn.config.settings", "PYTHONPATH": str(MAIN)}
    env["LMN_AUDIT_SEAL_KEY"] = SEAL_KEY
    tmp = Path(tempfile.mkdtemp(prefix=f"lmn-crash-{db}-"))
    env["LMN_DATA_DIR"] = str(tmp)
    if db == "postgres":
        import psycopg

        env["DATABASE_URL"] = PG_CRASH_URL
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_CRASH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_CRASH_DB}")
    server = Server(env, tmp / "gunicorn.log")
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=MAIN, env=env, check=True)
        prepared = tmp / "prepared.json"
        subprocess.run(
            [sys.executable, str(MAIN / "bench" / "run.py"), "_prepare", str(prepared), "1000",
             str(args.orders)],
            cwd=MAIN, env=env, check=True,
        )  # fmt: skip
        jobs = json.loads(prepared.read_text())["jobs"][: args.orders]
        return measure(db, args, env, tmp, server, jobs)
    finally:
        server.stop()
        if db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_CRASH_DB} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


def measure(db: str, args: argparse.Namespace, env: dict[str, str], tmp: Path, server: Server,
            jobs: list[dict[str, Any]]) -> Figures:  # fmt: skip
    server.start()
    status, body = Client(server.port).call("POST", "/api/v1/auth/token", LOGIN)
    if status != 200:
        raise RuntimeError(f"login failed: {status} {body[:300]!r}")
    token = json.loads(body)["token"]
    tally, stop = Tally(), threading.Event()
    start = time.time()
    deadline = start + args.seconds
    kills: list[str] = []
    kill_thread = threading.Thread(
        target=lambda: kills.extend(killer(server, stop, args.kill_every, args.kills)),
        daemon=True,
    )
    kill_thread.start()
    run_clients(server.port, token, jobs, args.clients, deadline, tally)
    stop.set()
    kill_thread.join(90)
    seconds = time.time() - start
    server.stop()

    in_db = count_in_db(env, tmp / "counts.json", [j["prescription_id"] for j in jobs])
    lost = sum(1 for p, n in tally.acknowledged.items() if n not in in_db.get(str(p), []))
    duplicates = sum(len(numbers) - 1 for numbers in in_db.values() if len(numbers) > 1)
    verified = subprocess.run([sys.executable, "manage.py", "verify_audit"], cwd=MAIN, env=env,
                              capture_output=True, text=True)  # fmt: skip
    figures = Figures(
        db=db, orders=len(jobs), acknowledged=len(tally.acknowledged), lost=lost,
        duplicates=duplicates, errors_500=tally.statuses.get(500, 0), retries=tally.retries,
        gave_up=tally.gave_up,
        kills=f"{kills.count('worker')} workers, {kills.count('server')} whole server",
        audit_intact=verified.returncode == 0, seconds=seconds,
    )  # fmt: skip
    others = {s: n for s, n in tally.statuses.items() if s not in (200, 201)}
    print(f"  answers by status (retries included): {dict(sorted(tally.statuses.items()))}"
          f"; not 200/201: {others}", flush=True)  # fmt: skip
    if not figures.audit_intact:
        print("  verify_audit: " + (verified.stderr or verified.stdout).strip()[-2000:])
    return figures


def print_table(rows: list[Figures]) -> None:
    header = ("db", "orders", "acknowledged", "lost", "duplicates", "500s", "retries",
              "unanswered", "kills (SIGKILL)", "audit intact", "seconds")  # fmt: skip
    table = [header]
    for r in rows:
        table.append((r.db, str(r.orders), str(r.acknowledged), str(r.lost), str(r.duplicates),
                      str(r.errors_500), str(r.retries), str(r.gave_up), r.kills,
                      "yes" if r.audit_intact else "NO", f"{r.seconds:.1f}"))  # fmt: skip
    widths = [max(len(t[i]) for t in table) for i in range(len(header))]
    print("\nCrash safety (must be 0: lost, duplicates, 500s)\n")
    for n, line in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_count":
        _count(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--orders", type=int, default=1500, help="withdrawals, one per key")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs at most")
    parser.add_argument("--kill-every", type=float, default=1.5, help="seconds between kills")
    parser.add_argument("--seconds", type=float, default=300, help="time limit per database")
    parser.add_argument("--quick", action="store_true", help="300 orders, 8 clients, 6 kills")
    args = parser.parse_args()
    if args.quick:
        args.orders, args.clients, args.kills, args.seconds = 300, 8, 6, 120
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    rows = [run_db(db, args) for db in dbs]
    print_table(rows)


if __name__ == "__main__":
    main()
