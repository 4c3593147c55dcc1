"""`manage.py seed_demo`: build the training world once, then print the training logins."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lmn.demo.world import build_world


class Command(BaseCommand):
    help = "Bygger träningsvärlden (syntetiskt register, enheter, inloggningar, historik)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--patients",
            type=int,
            default=10_000,
            help="antal personer i det syntetiska folkbokföringsregistret (standard 10 000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        built = build_world(patients=options["patients"], stdout=self.stdout)
        if built:
            took = time.perf_counter() - started
            self.stdout.write(self.style.SUCCESS(f"Träningsvärlden byggd på {took:.1f} s."))
