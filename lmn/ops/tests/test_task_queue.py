"""Scheduled jobs on the task queue (django.tasks + django-tasks-db): run once, retried with
backoff and visible to the administration, enqueued once per period, no double run."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from lmn.ops.models import ScheduledRun
from lmn.ops.schedule import enqueue_due, prune_history
from lmn.ops.tasks import run_job
from lmn.ops.tests import jobs
from lmn.testing import factories as f

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"
COUNT = "lmn.ops.tests.jobs.count_run"
FAILS = "lmn.ops.tests.jobs.always_fails"
T0 = dt.datetime(2026, 3, 2, 8, 0, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def calls() -> Iterator[list[str]]:
    jobs.CALLS.clear()
    yield jobs.CALLS
    jobs.CALLS.clear()


def work() -> None:
    """One worker pass: run every task that is due, then stop."""
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_an_enqueued_job_runs_once(calls: list[str]) -> None:
    result = run_job.enqueue(COUNT)
    work()
    work()  # a second pass finds nothing to do
    assert calls == ["count_run"]
    done = DBTaskResult.objects.get(id=result.id)
    assert done.status == "SUCCESSFUL"
    assert done.return_value == {"runs": 1}


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_a_failing_job_is_retried_with_backoff(calls: list[str]) -> None:
    with time_machine.travel(T0, tick=False):
        run_job.enqueue(FAILS)
        work()
        work()  # the retry waits for its time: not run again yet
    assert calls == ["always_fails"]
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"] == [FAILS, 1]
    assert retry.run_after == T0 + dt.timedelta(seconds=30)
    with time_machine.travel(T0 + dt.timedelta(seconds=31), tick=False):
        work()
    assert calls == ["always_fails", "always_fails"]
    second = DBTaskResult.objects.get(status="READY")  # the delay doubles
    assert second.run_after == T0 + dt.timedelta(seconds=31 + 60)
    assert DBTaskResult.objects.filter(status="FAILED").count() == 2


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_a_failed_job_stays_visible_to_the_administration(world: Any, client: Client) -> None:
    failed = run_job.enqueue(FAILS)
    work()
    admin = f.make_admin("lmnadmin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    listing = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert listing.status_code == 200
    assert str(failed.id) in listing.content.decode()
    detail = client.get(f"/admin/django_tasks_database/dbtaskresult/{failed.id}/change/")
    assert "the register does not answer" in detail.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
@override_settings(LMN_SCHEDULED_JOBS={COUNT: 300, FAILS: 3600})
def test_a_period_is_enqueued_once_however_often_workers_ask(calls: list[str]) -> None:
    assert enqueue_due(T0) == [COUNT, FAILS]
    assert enqueue_due(T0) == []  # a second worker, at the same moment
    assert enqueue_due(T0 + dt.timedelta(seconds=200)) == []  # same period
    assert DBTaskResult.objects.count() == 2
    assert enqueue_due(T0 + dt.timedelta(seconds=290)) == [COUNT]  # 08:05: the next period
    assert ScheduledRun.objects.filter(job=COUNT).count() == 2
    work()
    assert calls.count("count_run") == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(LMN_SCHEDULED_JOBS={COUNT: 300, FAILS: 3600})
def test_two_schedulers_at_the_same_moment_enqueue_a_period_once() -> None:
    """Two workers' ticks race: the unique (job, period) row lets one of them enqueue."""
    start = threading.Barrier(4)
    enqueued: list[str] = []

    def tick() -> None:
        start.wait()
        try:
            enqueued.extend(enqueue_due(T0))
        finally:
            connection.close()

    ticks = [threading.Thread(target=tick) for _ in range(4)]
    for t in ticks:
        t.start()
    for t in ticks:
        t.join()
    assert sorted(enqueued) == [FAILS, COUNT]
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
@override_settings(LMN_SCHEDULED_JOBS={COUNT: 300})
def test_old_task_history_is_pruned_but_recent_failures_stay() -> None:
    with time_machine.travel(T0, tick=False):
        enqueue_due()
        run_job.enqueue(FAILS)
        work()
    later = T0 + dt.timedelta(days=15)
    assert prune_history(later) == {"tasks_pruned": 1, "scheduled_runs_pruned": 1}
    assert list(DBTaskResult.objects.values_list("status", flat=True).order_by("status")) == [
        "FAILED",
        "READY",  # its retry, not yet finished
    ]


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(MANAGE), "db_worker", "--batch", "--no-reload"]
    return subprocess.Popen([*command, "--no-startup-delay", "-v", "0"], env=env)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_a_task_twice(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    for number in range(200):
        jobs.note_run.enqueue(number, str(log))
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": database_url}
    workers = [_worker(env), _worker(env)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    lines = log.read_text().split("\n")[:-1]
    numbers = sorted(int(line.split()[0]) for line in lines)
    assert numbers == list(range(200))  # each task exactly once
    assert len({line.split()[1] for line in lines}) == 2  # and both workers took some
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 200
