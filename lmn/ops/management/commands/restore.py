"""manage.py restore FILE: replace the database with a backup, then verify the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lmn.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the database from a backup made by `manage.py backup` (stop the server "
        "first). Refuses a backup of another installation unless "
        "--force-other-installation; verifies the audit trail afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force-other-installation",
            action="store_true",
            help="restore even though the backup was made by another installation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such backup file: {path}")
        try:
            header = restore(path, force_other_installation=options["force_other_installation"])
        except BackupError as e:
            raise CommandError(f"Not restored: {e}") from e
        self.stdout.write(
            f"restored {path} (installation {header.installation}, made {header.created_at})"
        )
        # the restored trail must verify (CommandError, exit status 1, if it does not)
        call_command("verify_audit", stdout=self.stdout, stderr=self.stderr)
