"""The scheduler's registry: the jobs named in settings.LMN_SCHEDULED_JOBS, run in order.

Listing dotted paths in settings keeps the dependency rule (no domain app imports another
to reach its jobs); each job is idempotent, so running often is safe.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

Job = Callable[[], dict[str, int]]


def scheduled_jobs() -> list[Job]:
    return [import_string(path) for path in getattr(settings, "LMN_SCHEDULED_JOBS", [])]


def run_scheduled_jobs() -> dict[str, int]:
    """Run every registered job once; answers the counts of all of them, merged."""
    counts: dict[str, int] = {}
    for job in scheduled_jobs():
        counts.update(job())
    return counts
