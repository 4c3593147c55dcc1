"""Backup and restore of the whole database, in a file that names its installation.

File layout: the line `LMN-BACKUP 1`, one line of JSON (installation, database vendor,
time, payload size and SHA-256), then the payload: an SQLite database made with SQLite's
online backup API, or a `pg_dump -Fc` archive for PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.db import DatabaseError, connection, connections

from lmn.core import clock

from .models import Installation

MAGIC = b"LMN-BACKUP 1\n"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, plainly."""


@dataclass
class Header:
    installation: str
    vendor: str
    created_at: str
    size: int
    sha256: str

    def line(self) -> bytes:
        return json.dumps(self.__dict__, sort_keys=True).encode() + b"\n"


def installation_key() -> str:
    """This installation's identity (made here if the migration's row is gone)."""
    row = Installation.objects.order_by("id").first()
    if row is None:
        row = Installation.objects.create(key=str(uuid.uuid4()))
    return row.key


def _target_installation() -> str | None:
    """The identity of the database we would restore over; None if it has none yet."""
    try:
        row = Installation.objects.order_by("id").first()
    except DatabaseError:  # an empty database: no tables yet
        connection.close()
        return None
    return row.key if row else None


def _require(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise BackupError(
            f"{binary} is not installed (on Debian: apt-get install postgresql-client)."
        )
    return path


def _pg_args() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432)]
    if s.get("USER"):
        args += ["-U", s["USER"]]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return [*args, "-d", s["NAME"]], env


def _dump_payload(into: Path) -> None:
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:  # SQLite would wait forever on our own write lock
            raise BackupError("Back up outside a transaction.")
        connection.ensure_connection()
        target = sqlite3.connect(into)
        try:
            connection.connection.backup(target)  # consistent even while others write
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_args()
        _run([_require("pg_dump"), "-Fc", "-f", str(into), *args], env)
    else:
        raise BackupError(f"Backup of {connection.vendor} is not supported.")


def _run(command: list[str], env: dict[str, str]) -> None:
    # our own arguments: the binary found on PATH and the configured database
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[:2000]}")


def backup(path: Path) -> Header:
    """Write a backup of the database to `path` (atomically: a temporary file renamed)."""
    key = installation_key()
    with tempfile.TemporaryDirectory() as tmp:
        payload = Path(tmp) / "payload"
        _dump_payload(payload)
        header = Header(
            installation=key,
            vendor=connection.vendor,
            created_at=clock.now().isoformat(),
            size=payload.stat().st_size,
            sha256=_sha256(payload),
        )
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as out, payload.open("rb") as src:
            out.write(MAGIC + header.line())
            shutil.copyfileobj(src, out)
        partial.replace(path)
    return header


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_header(f: BinaryIO) -> Header:
    if f.readline() != MAGIC:
        raise BackupError("The file is not an LMN backup.")
    try:
        return Header(**json.loads(f.readline()))
    except (ValueError, TypeError) as e:
        raise BackupError("The backup's header is damaged.") from e


def restore(path: Path, *, force_other_installation: bool = False) -> Header:
    """Replace the database's contents with the backup's; refuses a foreign installation."""
    with path.open("rb") as f, tempfile.TemporaryDirectory() as tmp:
        header = read_header(f)
        payload = Path(tmp) / "payload"
        with payload.open("wb") as out:
            shutil.copyfileobj(f, out)
        _check(header, payload, force_other_installation)
        if connection.in_atomic_block:
            raise BackupError("Restore outside a transaction.")
        connections.close_all()
        if connection.vendor == "sqlite":
            _restore_sqlite(payload)
        else:
            args, env = _pg_args()
            _run(
                [
                    _require("pg_restore"),
                    *["--clean", "--if-exists", "--no-owner", "--single-transaction"],
                    *args,
                    str(payload),
                ],
                env,
            )
        connections.close_all()
    return header


def _check(header: Header, payload: Path, force_other_installation: bool) -> None:
    if payload.stat().st_size != header.size or _sha256(payload) != header.sha256:
        raise BackupError("The backup file is incomplete or damaged (its checksum differs).")
    if header.vendor != connection.vendor:
        raise BackupError(
            f"The backup is of a {header.vendor} database; this installation uses "
            f"{connection.vendor}."
        )
    here = _target_installation()
    if here is not None and here != header.installation and not force_other_installation:
        raise BackupError(
            f"The backup is of another installation ({header.installation}, made "
            f"{header.created_at}); this one is {here}. Restoring it would replace this "
            "installation's data with another's. Give --force-other-installation if that "
            "is what you mean."
        )


def _restore_sqlite(payload: Path) -> None:
    source = sqlite3.connect(payload)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The SQLite database in the backup is damaged.")
        connection.ensure_connection()
        raw: Any = connection.connection
        source.backup(raw)  # replaces every page of the live database at once
    except sqlite3.OperationalError as e:  # e.g. the server still holds the database
        raise BackupError(f"The database is in use ({e}); stop the server and retry.") from e
    finally:
        source.close()
