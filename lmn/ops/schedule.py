"""Periodic enqueueing: each scheduled job once per period, however many workers ask.

Every worker calls enqueue_due() now and then. For each job it enqueues the task and inserts a
ScheduledRun row for the current period in one transaction; the unique (job, period_start)
constraint makes a second worker's insert fail, which rolls its enqueued task back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import ScheduledRun
from .tasks import run_job

DAYS_14 = timedelta(days=14)
DAYS_90 = timedelta(days=90)


def period_start(now: datetime, seconds: int) -> datetime:
    """The start of the period `now` falls in (periods counted from the epoch, in UTC)."""
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def scheduled_periods() -> list[tuple[str, int]]:
    return list(getattr(settings, "LMN_SCHEDULED_JOBS", {}).items())


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue each job whose current period has no run yet; answers the jobs enqueued."""
    now = now or timezone.now()
    jobs = scheduled_periods()
    enqueued = []
    for index, (path, seconds) in enumerate(jobs):
        start = period_start(now, seconds)
        if ScheduledRun.objects.filter(job=path, period_start=start).exists():
            continue  # the usual case; spares the database a failing insert every tick
        try:
            with transaction.atomic():
                # earlier in the list runs first within a period (priority -100..100)
                result = run_job.using(priority=min(100, len(jobs) - index)).enqueue(path)
                ScheduledRun.objects.create(job=path, period_start=start, task_id=str(result.id))
        except IntegrityError:
            continue  # another worker enqueued this period's run
        enqueued.append(path)
    return enqueued


def prune_history(now: datetime | None = None) -> dict[str, int]:
    """Scheduled: forget finished tasks after 14 days (failed ones after 90, so that the
    administration sees them) and period rows after 2 days (no period is that long)."""
    now = now or timezone.now()
    finished = DBTaskResult.objects.filter(status="SUCCESSFUL", finished_at__lt=now - DAYS_14)
    failed = DBTaskResult.objects.filter(status="FAILED", finished_at__lt=now - DAYS_90)
    runs = ScheduledRun.objects.filter(enqueued_at__lt=now - timedelta(days=2))
    return {
        "tasks_pruned": finished.delete()[0] + failed.delete()[0],
        "scheduled_runs_pruned": runs.delete()[0],
    }
