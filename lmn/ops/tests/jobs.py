"""Jobs and a task for the task-queue tests (by dotted path, also from subprocess workers)."""

from __future__ import annotations

import os
import time

from django.tasks import task

CALLS: list[str] = []


def count_run() -> dict[str, int]:
    CALLS.append("count_run")
    return {"runs": len(CALLS)}


def always_fails() -> dict[str, int]:
    CALLS.append("always_fails")
    raise RuntimeError("the register does not answer")


@task()
def note_run(number: int, log_path: str) -> None:
    """Appends its number to a file, so a test counts how often each task ran (any process)."""
    time.sleep(0.01)  # long enough for two workers to overlap
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"{number} {os.getpid()}\n")
