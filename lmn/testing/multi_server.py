"""Two application servers and two notification workers against one PostgreSQL: the
harness shared by lmn/notifications/tests/test_two_servers.py and bench/multi.py.

`run(env, folder, orders)` migrates and seeds the database named by env's DATABASE_URL,
starts two gunicorn servers (one worker each) and two notification workers (the send job
in a loop), and spreads the orders over both servers: each order is posted twice with one
Idempotency-Key (the retry on the other server), then picked, shipped and reported
arrived, each step on the other server than the last, so each queues one arrival SMS.
Loopback only; every process it starts it stops (its own process group, nothing else).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

MAIN = Path(__file__).resolve().parent.parent.parent

PREPARE = """
import datetime as dt, json
from lmn.accounts.models import User
from lmn.catalog.models import Product
from lmn.core import clock
from lmn.demo.world import birth_date_of, register_rows
from lmn.organisations.models import PrescribingUnit
from lmn.patients.models import Patient, RegisterRecord
from lmn.prescriptions.models import Prescription
unit = PrescribingUnit.objects.get(customer_number="602154")
prescriber = User.objects.get(username="forskrivare")
product = Product.objects.filter(area__code="diabetes", procured=True, active=True).first()
existing = set(RegisterRecord.objects.values_list("identifier", flat=True))
jobs = []
for p in register_rows(%d, seed=4711, exclude=existing):
    patient = Patient.objects.create(
        identity_kind="personnummer", identifier=p["identifier"], first_name=p["first_name"],
        last_name=p["last_name"], birth_date=birth_date_of(p["identifier"]), street=p["street"],
        postcode=p["postcode"], city=p["city"], dwelling=p["dwelling"], resident_region="VG")
    rx = Prescription.objects.create(
        patient=patient, product=product, unit=unit, prescriber=prescriber,
        consumption_amount=1, consumption_period="day", valid_from=clock.today(),
        valid_until=clock.today() + dt.timedelta(days=365), max_supply_days=90)
    jobs.append({"patient_id": patient.pk, "prescription_id": rx.pk})
print(json.dumps(jobs))
"""

# the job loop of a notification worker: send what is pending until told to stop
WORKER = """
import os, time
from lmn.notifications.services import send_pending
while not os.path.exists(os.environ["STOP"]):
    send_pending()
    time.sleep(0.02)
send_pending()
"""


@contextlib.contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """Create the database `url` names (dropping a leftover first) and drop it after."""
    admin, name = url.rsplit("/", 1)
    assert name.isidentifier(), name
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield url
    finally:
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def environment(url: str, data_dir: Path) -> dict[str, str]:
    """The servers' and workers' environment: training logins, this database, a data
    folder that should stay empty but for collected static files."""
    ours = ("LMN_", "DATABASE_URL", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(
        DATABASE_URL=url,
        LMN_DATA_DIR=str(data_dir),
        LMN_AUDIT_SEAL_KEY="multi-server-seal-key",
        DJANGO_SETTINGS_MODULE="lmn.config.settings",
        PYTHONPATH=str(MAIN),
    )
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    def __init__(self, port: int, token: str = "") -> None:
        self.port, self.token = port, token

    def call(self, method: str, path: str, body: Any, key: str = "") -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if key:
            headers["Idempotency-Key"] = key
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
        finally:
            conn.close()


@contextlib.contextmanager
def _process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the group this test started, nothing else
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _wait_until_serving(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.time() + 60
    while True:
        assert proc.poll() is None, "gunicorn stopped; see its log"
        try:
            Client(port).call("GET", "/api/v1/", None)
            return
        except OSError:
            assert time.time() < deadline
            time.sleep(0.2)


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(MAIN / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _login(port: int, username: str, unit: str | None) -> Client:
    status, body = Client(port).call(
        "POST", "/api/v1/auth/token", {"username": username, "password": "demo", "unit": unit}
    )
    assert status == 200, body
    return Client(port, body["token"])


def _order(client: Client, job: dict[str, Any], key: str) -> tuple[int, Any]:
    body = {
        "patient_id": job["patient_id"],
        "lines": [{"prescription_id": job["prescription_id"], "quantity": 30}],
        "delivery": {
            "destination": "pickup_point",
            "pickup_point_id": "PN-41304",
            "notify_by": "sms",
            "phone": "0701234567",
        },
    }
    return client.call("POST", "/api/v1/withdrawals", body, key)


def _ship_and_arrive(depots: list[Client], i: int, number: str) -> list[int]:
    statuses = []
    for step, event in enumerate(("picked", "shipped", "arrived")):
        depot = depots[(i + step) % 2]  # each step on the other server than the last
        status, _ = depot.call("POST", f"/api/v1/distributor/withdrawals/{number}/events",
                               {"event": event})  # fmt: skip
        statuses.append(status)
    return statuses


def pending(env: dict[str, str]) -> int:
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        row = conn.execute(
            "SELECT count(*) FROM notifications_notification WHERE sent_at IS NULL"
        ).fetchone()
    return int(row[0]) if row else 0


@dataclass
class Outcome:
    statuses: list[int]  # every HTTP answer of the scenario
    numbers: list[str]  # the withdrawal numbers the servers answered
    prescription_ids: list[int]
    seconds: float  # placing, shipping and arriving every order, both servers


def run(env: dict[str, str], folder: Path, orders: int, clients: int = 8) -> Outcome:
    _manage(env, "migrate", "-v", "0")
    _manage(env, "seed_demo", "--patients", "300")
    jobs = json.loads(_manage(env, "shell", "-v", "0", "-c", PREPARE % orders))
    ports = [_free_port(), _free_port()]
    stop = folder / "stop-workers"
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-k", "gthread",
                "--threads", "4", "--chdir", str(MAIN), "lmn.config.wsgi"]  # fmt: skip
    worker = [sys.executable, str(MAIN / "manage.py"), "shell", "-v", "0", "-c", WORKER]
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(
                _process([*gunicorn, "-b", f"127.0.0.1:{p}"], env, folder / f"gunicorn{p}.log")
            )
            for p in ports
        ]
        for _ in range(2):
            stack.enter_context(_process(worker, {**env, "STOP": str(stop)}, folder / "w.log"))
        for port, proc in zip(ports, servers, strict=True):
            _wait_until_serving(port, proc)
        # a token from one server is good on the other: sessions live in the database
        token = _login(ports[0], "forskrivare", "602154").token
        prescribers = [Client(p, token) for p in ports]
        depot_token = _login(ports[1], "distributor", None).token
        depots = [Client(p, depot_token) for p in ports]

        def place(i: int) -> tuple[list[int], str]:
            key = str(uuid.uuid4())
            first, body = _order(prescribers[i % 2], jobs[i], key)
            retry, again = _order(prescribers[(i + 1) % 2], jobs[i], key)  # the other server
            same = [] if again == body else [0]  # 0: the retry answered something else
            number = body["number"] if first == 201 else ""
            return [first, retry, *same, *_ship_and_arrive(depots, i, number)], number

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(place, range(orders)))
        seconds = time.perf_counter() - started
        stop.write_text("")
        deadline = time.time() + 60
        while pending(env) and time.time() < deadline:
            time.sleep(0.2)
    return Outcome(
        statuses=[s for r, _ in results for s in r],
        numbers=sorted(n for _, n in results),
        prescription_ids=[j["prescription_id"] for j in jobs],
        seconds=seconds,
    )


def count(env: dict[str, str], outcome: Outcome) -> dict[str, int]:
    """What the database holds after `run`: the figures a test asserts and bench prints."""
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM withdrawals_withdrawal WHERE number = ANY(%s)",
            (outcome.numbers,),
        ).fetchone()
        withdrawals = conn.execute(
            "SELECT count(DISTINCT withdrawal_id) FROM withdrawals_withdrawalline"
            " WHERE prescription_id = ANY(%s)",
            (outcome.prescription_ids,),
        ).fetchone()
        sms = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE n.sent_at IS NULL),"
            " count(*) FILTER (WHERE m.sends > 1), coalesce(sum(m.sends), 0)"
            " FROM notifications_notification n LEFT JOIN (SELECT notification_id,"
            " count(*) AS sends FROM notifications_outboundmessage GROUP BY 1) m"
            " ON m.notification_id = n.id WHERE n.channel = 'sms'"
        ).fetchone()
    assert stored and withdrawals and sms
    return {
        "errors": sum(1 for s in outcome.statuses if s not in (200, 201)),
        "lost": len(outcome.numbers) - int(stored[0]),
        "withdrawals": int(withdrawals[0]),
        "sms": int(sms[0]),
        "unsent": int(sms[1]),
        "sent_twice": int(sms[2]),
        "sends": int(sms[3]),
    }
