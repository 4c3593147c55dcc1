"""The production environment (README, "In production") passes `check --deploy` cleanly,
refuses to start without its secrets, and keeps the data folder private."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def _env(data_dir: Path, **overrides: str) -> dict[str, str]:
    ours = ("LMN_", "DATABASE_URL", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(
        {
            "LMN_DATA_DIR": str(data_dir),
            "LMN_TRAINING": "0",
            "LMN_SECRET_KEY": secrets.token_urlsafe(50),
            "LMN_ALLOWED_HOSTS": "lmn.vgregion.se",
            "LMN_SMTP_HOST": "smtp.vgregion.se",
            "LMN_TRUSTED_PROXIES": "1",
        }
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v != ""}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_in_production(tmp_path: Path) -> None:
    done = _manage(_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    done = _manage(_env(tmp_path, LMN_SECRET_KEY=""), "check")
    assert done.returncode != 0
    assert "LMN_SECRET_KEY is not set. In production (LMN_TRAINING=0)" in done.stderr


def test_production_refuses_to_start_without_an_smtp_server(tmp_path: Path) -> None:
    done = _manage(_env(tmp_path, LMN_SMTP_HOST=""), "check")
    assert done.returncode != 0
    assert "LMN_SMTP_HOST is not set" in done.stderr


def test_production_sends_email_by_smtp_from_the_environment(tmp_path: Path) -> None:
    show = (
        "from django.conf import settings as s; m = s.MAILERS['default'];"
        "print(m['BACKEND'], m['OPTIONS']['host'], m['OPTIONS']['port'], s.SESSION_COOKIE_SECURE,"
        " s.SECURE_PROXY_SSL_HEADER)"
    )
    done = _manage(_env(tmp_path, LMN_SMTP_PORT="2525"), "shell", "-v", "0", "-c", show)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.vgregion.se",
        "2525",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


def test_the_data_folder_and_its_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write = (
        "from django.db import connection; connection.ensure_connection();"
        "from django.core.mail import send_mail;"
        "send_mail('Ämne', 'Text', 'lmn@example.se', ['a@example.se'])"
    )
    env = _env(data, LMN_TRAINING="1")  # training: e-mail lands in the outbox folder
    done = _manage(env, "shell", "-v", "0", "-c", write)
    assert done.returncode == 0, done.stderr

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(data) == 0o700
    assert mode(data / "lmn.sqlite3") == 0o600
    outbox = data / "outbox" / "email"
    assert mode(data / "outbox") == 0o700 and mode(outbox) == 0o700
    mails = list(outbox.iterdir())
    assert mails and all(mode(m) == 0o600 for m in mails)
