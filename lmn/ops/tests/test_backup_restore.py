"""manage.py backup and restore: the same data and a verifying audit trail come back."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from lmn.audit.integrity import take_checkpoint
from lmn.audit.models import AuditEvent, AuditVerification
from lmn.audit.services import record
from lmn.ops.models import Installation
from lmn.testing import factories as f

KEY = "test-seal-key-kept-outside"
MANAGE = Path(__file__).resolve().parents[3] / "manage.py"


@pytest.fixture(autouse=True)
def seal_key() -> Iterator[Any]:
    with override_settings(LMN_AUDIT_SEAL_KEY=KEY):
        yield


def make_data() -> None:
    unit = f.make_unit("602154")
    user = f.make_user("forskrivare", unit=unit, areas=["diabetes"])
    patient = f.make_patient(f.PERSONNUMMER[0])
    product = f.make_product("diabetes", name="Testremsor")
    f.make_prescription(patient=patient, product=product, prescriber=user, unit=unit)
    for _ in range(3):
        record("test.read", actor=f.actor_of(user, unit), patient=patient)
    take_checkpoint()


def snapshot() -> dict[str, Any]:
    counts: dict[str, Any] = {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m is not AuditVerification  # the restore itself verifies, and records that
    }
    counts["audit hashes"] = list(AuditEvent.objects.values_list("hash", flat=True))
    return counts


def quiet(*args: str, **options: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_sqlite_restore_brings_back_the_same_data_and_a_verifying_trail(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the in-process restore is for SQLite; PostgreSQL restores a copy below")
    make_data()
    backup = tmp_path / "lmn.backup"
    quiet("backup", str(backup))
    before = snapshot()
    f.make_patient(f.PERSONNUMMER[1])  # changes after the backup are undone by the restore
    record("test.read", actor=f.actor_of(f.make_admin("lmnadmin")))
    assert snapshot() != before

    out = quiet("restore", str(backup))
    assert snapshot() == before
    assert "audit trail intact" in out


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_another_installation_is_refused_unless_forced(tmp_path: Path) -> None:
    make_data()
    backup = tmp_path / "other.backup"
    quiet("backup", str(backup))
    Installation.objects.update(key="ffffffff-0000-0000-0000-000000000000")
    f.make_patient(f.PERSONNUMMER[1])
    after = snapshot()
    with pytest.raises(CommandError, match="another installation"):
        quiet("restore", str(backup))
    assert snapshot() == after  # nothing was touched

    if connection.vendor == "sqlite":  # PostgreSQL would restore over the test database
        quiet("restore", str(backup), force_other_installation=True)
        assert snapshot()["patients.Patient"] == after["patients.Patient"] - 1


@pytest.mark.django_db(transaction=True)
def test_a_damaged_or_foreign_file_is_refused(tmp_path: Path) -> None:
    make_data()
    backup = tmp_path / "lmn.backup"
    quiet("backup", str(backup))
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(backup.read_bytes()[:-10])
    with pytest.raises(CommandError, match="incomplete or damaged"):
        quiet("restore", str(damaged))
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(CommandError, match="not an LMN backup"):
        quiet("restore", str(other))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_into_a_fresh_database(tmp_path: Path) -> None:
    make_data()
    backup = tmp_path / "lmn.backup"
    quiet("backup", str(backup))
    before = json.loads(json.dumps(snapshot()))

    s = connection.settings_dict
    scratch = f"{s['NAME']}_restore"
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{scratch}"
    env = {**os.environ, "DATABASE_URL": url, "LMN_AUDIT_SEAL_KEY": KEY}
    env["LMN_DATA_DIR"] = str(tmp_path / "data")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        manage = [sys.executable, str(MANAGE)]
        done = subprocess.run(
            [*manage, "restore", str(backup)], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "audit trail intact" in done.stdout
        code = (
            "import json; from lmn.ops.tests.test_backup_restore import snapshot; "
            "print(json.dumps(snapshot()))"
        )
        done = subprocess.run(
            [*manage, "shell", "-c", code], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.strip().splitlines()[-1]) == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
