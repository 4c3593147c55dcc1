"""Run the task queue's worker, which also enqueues the scheduled jobs that are due.

`manage.py db_worker` (django-tasks-db) takes queued tasks one at a time (on PostgreSQL with
row locks that skip locked rows, so several workers never take the same task). This command
is that worker plus a thread that calls lmn.ops.schedule.enqueue_due every
--schedule-interval seconds; start as many as needed, each enqueues a period's job once.
"""

from __future__ import annotations

import logging
import os
import threading
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from lmn.ops.schedule import enqueue_due

log = logging.getLogger(__name__)


def tick(stop: threading.Event, interval: float) -> None:
    """Enqueue what is due, then again every `interval` seconds until stopped."""
    while not stop.is_set():
        try:
            enqueue_due()
        except Exception:
            log.exception("could not enqueue the scheduled jobs")  # tried again next tick
        finally:
            close_old_connections()
        stop.wait(interval)
    connection.close()


class Command(DbWorkerCommand):
    help = "Kör bakgrundsjobb (uppgiftskön) och lägger schemalagda jobb i kön när de ska köras."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=30,
            help="seconds between checks for due scheduled jobs (default: %(default)s)",
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="only run queued tasks, enqueue none"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        schedule_interval = options.pop("schedule_interval")
        if options.pop("no_schedule"):
            return super().handle(*args, **options)
        if options["batch"]:
            enqueue_due()  # once, then run what is queued and stop
            return super().handle(*args, **options)
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)  # the reloader's parent runs no task
        stop = threading.Event()
        ticker = threading.Thread(target=tick, args=(stop, schedule_interval), daemon=True)
        ticker.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
