"""manage.py backup FILE: the whole database, in a file that names this installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lmn.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE (SQLite: online backup API; PostgreSQL: "
        "pg_dump -Fc). The audit seal key is not in it: keep LMN_AUDIT_SEAL_KEY apart."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            header = backup(options["file"])
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"backup written to {options['file']}: {header.vendor}, {header.size} bytes, "
            f"installation {header.installation}"
        )
