"""Run the scheduled jobs once, or forever every --interval seconds (started by `make run`).

Which jobs run is settings.LMN_SCHEDULED_JOBS (see lmn.core.scheduler).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from lmn.core.scheduler import run_scheduled_jobs


class Command(BaseCommand):
    help = (
        "Kör schemalagda jobb: returnera ej uthämtade paket (14 dagar), skicka aviseringar, "
        "uppföljningar av produkter utanför sortiment, spärr av skyddade personuppgifter."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=int, default=300, help="seconds between runs")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            result = run_scheduled_jobs()
            self.stdout.write(", ".join(f"{name}: {count}" for name, count in result.items()))
            if not options["loop"]:
                return
            close_old_connections()
            time.sleep(options["interval"])
