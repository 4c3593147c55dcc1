"""Two application servers and two notification workers against one PostgreSQL.

Nothing lives on a server's own disk, so a load balancer may send any request to either
server: orders placed on one are collected on the other, a retry with the same
Idempotency-Key may land on the other server, and the arrival SMS is sent exactly once
although both servers (after commit) and both workers (their send loop) race for it.

Bounded (40 orders), loopback only; the database `lmn_h16_multi` is created and dropped.
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
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

MAIN = Path(settings.BASE_DIR)
ORDERS = 40
DB = "lmn_h16_multi"

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


def _admin_url() -> str:
    url = os.environ["DATABASE_URL"]
    return url.rsplit("/", 1)[0] + "/postgres"


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


@pytest.fixture
def multi_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{DB}"
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    ours = ("LMN_", "DATABASE_URL", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(
        DATABASE_URL=url,
        LMN_DATA_DIR=str(tmp_path / "data"),  # static files only: nothing else is written
        LMN_AUDIT_SEAL_KEY="two-servers-test-key",
        DJANGO_SETTINGS_MODULE="lmn.config.settings",
        PYTHONPATH=str(MAIN),
    )
    try:
        yield env
    finally:
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


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


@pytest.mark.postgres_only
def test_two_servers_and_two_workers_lose_nothing_and_send_each_sms_once(
    multi_env: dict[str, str], tmp_path: Path
) -> None:
    env = multi_env
    _manage(env, "migrate", "-v", "0")
    _manage(env, "seed_demo", "--patients", "300")
    jobs = json.loads(_manage(env, "shell", "-v", "0", "-c", PREPARE % ORDERS))
    assert len(jobs) == ORDERS
    ports = [_free_port(), _free_port()]
    stop = tmp_path / "stop-workers"
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-k", "gthread",
                "--threads", "4", "--chdir", str(MAIN), "lmn.config.wsgi"]  # fmt: skip
    worker = [sys.executable, str(MAIN / "manage.py"), "shell", "-v", "0", "-c", WORKER]
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(
                _process([*gunicorn, "-b", f"127.0.0.1:{p}"], env, tmp_path / f"gunicorn{p}.log")
            )
            for p in ports
        ]
        for _ in range(2):
            stack.enter_context(_process(worker, {**env, "STOP": str(stop)}, tmp_path / "w.log"))
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
            assert again == body, "the retry answers what the first call answered"
            number = body["number"] if first == 201 else ""
            return [first, retry, *_ship_and_arrive(depots, i, number)], number

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(place, range(ORDERS)))
        stop.write_text("")
        deadline = time.time() + 60
        while _pending(env) and time.time() < deadline:
            time.sleep(0.2)

    statuses = [s for r, _ in results for s in r]
    assert [s for s in statuses if s not in (200, 201)] == []  # 0 errors
    numbers = sorted(n for _, n in results)
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        stored = [r[0] for r in conn.execute(
            "SELECT number FROM withdrawals_withdrawal WHERE number = ANY(%s) ORDER BY number",
            (numbers,),
        )]  # fmt: skip
        orders = conn.execute(
            "SELECT count(DISTINCT withdrawal_id) FROM withdrawals_withdrawalline"
            " WHERE prescription_id = ANY(%s)",
            ([j["prescription_id"] for j in jobs],),
        ).fetchone()
        sent = conn.execute(
            "SELECT n.id, n.sent_at IS NOT NULL, n.attempts, count(m.id)"
            " FROM notifications_notification n"
            " LEFT JOIN notifications_outboundmessage m ON m.notification_id = n.id"
            " WHERE n.channel = 'sms' GROUP BY n.id"
        ).fetchall()
    assert stored == numbers  # 0 lost orders
    assert orders == (ORDERS,)  # one withdrawal per order, though each was posted twice
    assert len(sent) == ORDERS  # one arrival SMS per order
    assert {(done, count) for _, done, _, count in sent} == {(True, 1)}  # each sent once
    data = Path(env["LMN_DATA_DIR"])
    assert sorted(p.name for p in data.iterdir()) == ["static"]  # no outbox, no key file


def _pending(env: dict[str, str]) -> int:
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        row = conn.execute(
            "SELECT count(*) FROM notifications_notification WHERE sent_at IS NULL"
        ).fetchone()
    return int(row[0]) if row else 0
