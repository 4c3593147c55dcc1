"""Scheduled work as tasks (django.tasks, stored by django-tasks-db, run by run_worker).

One task runs one job named by its dotted path (settings.LMN_SCHEDULED_JOBS), so no app
imports another's jobs. A failure stays as a failed task (with its traceback, in the
admin's task list) and the job is enqueued again after a growing delay.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """Backoff: the base delay doubled for each earlier retry (30 s, 60 s, 120 s, ...)."""
    return timedelta(seconds=settings.LMN_JOB_RETRY_BASE_SECONDS * 2**attempt)


@task()
def run_job(path: str, attempt: int = 0) -> dict[str, int]:
    """Run one scheduled job; on failure enqueue a retry (with backoff), then fail."""
    try:
        result: dict[str, int] = import_string(path)()
    except Exception:
        if attempt < settings.LMN_JOB_RETRIES:
            retry_at = timezone.now() + retry_delay(attempt)
            run_job.using(run_after=retry_at).enqueue(path, attempt + 1)
            # the job's name and the attempt only: nothing personal in application logs
            log.warning("job %s failed (attempt %d); retry at %s", path, attempt, retry_at)
        else:
            log.error("job %s failed (attempt %d); no more retries", path, attempt)
        raise
    return result
