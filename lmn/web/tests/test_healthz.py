"""/healthz: database reachability and the age of the oldest queued task, open without login."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
import time_machine
from django.test import Client

from lmn.ops.tasks import run_job

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_healthz_answers_the_database_and_the_oldest_waiting_task(client: Client) -> None:
    with time_machine.travel(T0, tick=False):
        run_job.enqueue("lmn.ops.tests.jobs.count_run")
    with time_machine.travel(T0 + dt.timedelta(minutes=10), tick=False):
        run_job.enqueue("lmn.ops.tests.jobs.count_run")
        response = client.get("/healthz")  # no login
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "pending_tasks": 2,
        "oldest_pending_task_seconds": 600,
    }


@pytest.mark.django_db
def test_healthz_with_an_empty_queue(client: Client) -> None:
    body = client.get("/healthz").json()
    assert (body["pending_tasks"], body["oldest_pending_task_seconds"]) == (0, None)


def test_healthz_answers_503_when_the_database_does_not_answer() -> None:
    """A server whose PostgreSQL is down (nothing listens on port 1) answers 503."""
    probe = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(json.dumps([r.status_code, r.json()]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lmn.config.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/lmn",
    }
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, check=True, timeout=60
    )
    status, body = json.loads(out.stdout.decode().strip().splitlines()[-1])
    assert status == 503
    assert body == {"status": "unavailable", "database": "unreachable"}
