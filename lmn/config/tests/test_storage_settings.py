"""Stored documents go to the configured storage backend, not to one server's disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
SHOW = (
    "from django.core.files.storage import storages; d = storages['default'];"
    "print(type(d).__name__, getattr(d, 'location', ''))"
)


def _storage(tmp_path: Path, **env_overrides: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LMN_", "DATABASE_URL"))}
    env.update({"LMN_DATA_DIR": str(tmp_path / "data"), **env_overrides})
    done = subprocess.run(
        [sys.executable, MANAGE, "shell", "-v", "0", "-c", SHOW],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_documents_go_to_a_shared_store_when_one_is_configured(tmp_path: Path) -> None:
    assert _storage(tmp_path) == ["FileSystemStorage", str(tmp_path / "data" / "media")]
    shared = tmp_path / "shared-mount"
    assert _storage(
        tmp_path,
        LMN_STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
        LMN_STORAGE_OPTIONS=json.dumps({"location": str(shared)}),
    ) == ["FileSystemStorage", str(shared)]
    assert (
        _storage(
            tmp_path,
            LMN_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
            LMN_STORAGE_OPTIONS="{}",
        )[0]
        == "InMemoryStorage"
    )
