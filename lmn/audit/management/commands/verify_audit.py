"""Verify the whole audit trail: exit status 0 only when it is intact."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lmn.audit.integrity import take_checkpoint, verify_and_record


class Command(BaseCommand):
    help = (
        "Verify every audit chain and compare it with the latest sealed checkpoint; "
        "reports altered, inserted, deleted and reordered events. Exit status 0 only "
        "when the trail is intact."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seal",
            action="store_true",
            help="when intact, seal a new checkpoint of every chain head afterwards",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_and_record()
        for problem in report.problems:
            self.stderr.write(problem.line())
        against = (
            f"sealed checkpoint {report.checkpoint}"
            if report.checkpoint
            else "no sealed checkpoint"
        )
        summary = f"{report.events} events in {report.chains} chains, compared with {against}"
        if not report.ok:
            kinds = sorted({p.kind for p in report.problems})
            raise CommandError(
                f"audit trail NOT intact ({', '.join(kinds)}): {len(report.problems)} "
                f"problem(s); {summary}"
            )
        self.stdout.write(f"audit trail intact: {summary}")
        if options["seal"]:
            manifest = take_checkpoint()
            self.stdout.write(f"sealed checkpoint {manifest.id}")
