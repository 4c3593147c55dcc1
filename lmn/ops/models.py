from __future__ import annotations

from django.db import models


class Installation(models.Model):
    """Which installation this database belongs to: one row, made at the first migration.

    A backup carries it, so that a backup of another installation (another region's,
    the training copy) is not restored over this one by mistake.
    """

    key = models.CharField(max_length=36, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)


class ScheduledRun(models.Model):
    """That a scheduled job was enqueued for one period: one row per (job, period start).

    The unique constraint is what makes several workers enqueue a period's job once: the
    second insert fails and that worker leaves the job alone (lmn.ops.schedule).
    """

    job = models.CharField(max_length=200)  # dotted path, as in settings.LMN_SCHEDULED_JOBS
    period_start = models.DateTimeField()
    task_id = models.CharField(max_length=64)  # the queued task (django_tasks_db)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period_start"], name="one_run_per_period")
        ]
