"""Notifications go to their channel's gateway, chosen by settings, and are sent once.

With DATABASE_URL set nothing is kept on a server's own disk: SMS and letters go to the
database outbox (or an HTTP gateway), not to the training folder. Two senders racing for
the same notifications (two workers, or a worker and the after-commit send) never send
one twice.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings as DjangoSettings

from lmn.core import clock
from lmn.notifications.gateways import DatabaseOutboxGateway
from lmn.notifications.models import Notification, OutboundMessage
from lmn.notifications.services import queue, send_pending

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def _settings_in(env_overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LMN_", "DATABASE_URL"))}
    env.update({"LMN_DATA_DIR": str(tmp_path), **env_overrides})
    show = "from django.conf import settings as s; print(s.LMN_NOTIFICATION_GATEWAYS)"
    done = subprocess.run(
        [sys.executable, MANAGE, "shell", "-v", "0", "-c", show],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done


def _gateways_in(env_overrides: dict[str, str], tmp_path: Path) -> dict[str, str]:
    done = _settings_in(env_overrides, tmp_path)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.replace("'", '"')))


def test_the_training_folder_is_used_only_in_training_on_sqlite(tmp_path: Path) -> None:
    local = _gateways_in({}, tmp_path)
    assert local == {"email": "email", "sms": "folder", "letter": "folder", "webhook": "webhook"}
    shared_db = _gateways_in({"DATABASE_URL": "postgres://postgres@127.0.0.1/x"}, tmp_path)
    assert shared_db == {
        "email": "database",
        "sms": "database",
        "letter": "database",
        "webhook": "webhook",
    }
    production = _gateways_in(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1/x",
            "LMN_TRAINING": "0",
            "LMN_SECRET_KEY": "x" * 50,
            "LMN_SMTP_HOST": "smtp.vgregion.se",
            "LMN_SMS_GATEWAY": "http",
            "LMN_SMS_GATEWAY_URL": "https://sms.vgregion.se/send",
        },
        tmp_path,
    )
    assert production == {
        "email": "email",
        "sms": "http",
        "letter": "database",
        "webhook": "webhook",
    }
    refused = _settings_in(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1/x", "LMN_LETTER_GATEWAY": "folder"},
        tmp_path,
    )
    assert refused.returncode != 0
    assert "for training on SQLite only" in refused.stderr


def test_with_the_database_outbox_nothing_is_written_to_the_local_disk(
    db: None,
    settings: DjangoSettings,
    tmp_path: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.DATA_DIR = tmp_path
    settings.LMN_NOTIFICATION_GATEWAYS = {"email": "email", "sms": "database", "letter": "database"}
    with django_capture_on_commit_callbacks(execute=True):
        sms = queue(channel="sms", recipient="+46701234567", body="Din försändelse har kommit.")
        letter = queue(channel="letter", recipient="Storgatan 1, 41301 Göteborg", body="Brev.")
        queue(channel="email", recipient="a@example.se", subject="Info", body="Hej.")
    assert list(tmp_path.iterdir()) == []
    sent = {m.notification_id: (m.channel, m.recipient) for m in OutboundMessage.objects.all()}
    assert sent == {
        sms.pk: ("sms", "+46701234567"),
        letter.pk: ("letter", "Storgatan 1, 41301 Göteborg"),
    }
    assert [m.to for m in mail.outbox] == [["a@example.se"]]  # e-mail by the mail backend
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


@pytest.fixture
def sms_gateway() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({**body, "key": self.headers["Idempotency-Key"]})
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/send", received
    server.shutdown()


def test_the_http_gateway_posts_each_message_once_with_its_key(
    db: None,
    settings: DjangoSettings,
    sms_gateway: tuple[str, list[dict[str, Any]]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    url, received = sms_gateway
    settings.LMN_NOTIFICATION_GATEWAYS = {
        "email": "email",
        "sms": "http",
        "letter": "database",
        "webhook": "webhook",
    }
    settings.LMN_SMS_GATEWAY_URL = url
    with django_capture_on_commit_callbacks(execute=True):
        note = queue(channel="sms", recipient="+46701234567", body="Hej.")
    assert send_pending() == 0
    assert received == [
        {
            "id": note.pk,
            "to": "+46701234567",
            "subject": "",
            "text": "Hej.",
            "key": f"lmn-{note.pk}",
        }
    ]


class SlowOutbox(DatabaseOutboxGateway):
    """The database outbox with a gateway's latency: widens the window two senders race in."""

    def send(self, notification: Notification) -> None:
        time.sleep(0.005)
        super().send(notification)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_senders_send_every_notification_exactly_once(
    settings: DjangoSettings,
) -> None:
    slow = f"{__name__}.SlowOutbox"
    settings.LMN_NOTIFICATION_GATEWAYS = {"email": slow, "sms": slow, "letter": slow}
    # queued rows whose after-commit send never ran (the process stopped)
    notes = Notification.objects.bulk_create(
        Notification(channel="sms", recipient=f"+4670{i:07}", body=f"{i}", created_at=clock.now())
        for i in range(60)
    )
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            counts.append(send_pending())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    per_notification = Counter(OutboundMessage.objects.values_list("notification_id", flat=True))
    assert sum(counts) == len(notes)
    assert sorted(per_notification) == sorted(n.pk for n in notes)
    assert set(per_notification.values()) == {1}
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    assert min(counts) > 0  # both senders did take part


def test_a_gateway_that_is_down_leaves_the_change_done_and_the_message_queued(
    db: None,
    settings: DjangoSettings,
    tmp_path: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocked = tmp_path / "not-a-folder"  # the folder gateway cannot write here
    blocked.write_text("")
    settings.DATA_DIR = blocked
    with django_capture_on_commit_callbacks(execute=True):  # no error reaches the caller
        note = queue(channel="sms", recipient="+46701234567", body="Din försändelse har kommit.")
    note.refresh_from_db()
    assert (note.sent_at, note.attempts) == (None, 1)
    assert "+46701234567" not in caplog.text  # nothing personal in the log
    settings.DATA_DIR = tmp_path
    assert send_pending() == 1
