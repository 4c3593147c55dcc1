"""Where a notification goes: one gateway per channel, chosen by settings.

`LMN_NOTIFICATION_GATEWAYS` maps a channel ("email", "sms", "letter") to a gateway
class. E-mail goes through Django's mail backend (SMTP in production). SMS and letters
go to the training outbox folder under LMN_DATA_DIR only in training on SQLite; with
DATABASE_URL set no server keeps them on its own disk: they go to the database outbox
(which the region's gateway integration drains) or to an HTTP gateway.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .models import Notification, OutboundMessage, Webhook


class Gateway(Protocol):
    def send(self, notification: Notification) -> None:
        """Hand the message over; raise if the gateway did not take it."""


class EmailGateway:
    def send(self, notification: Notification) -> None:
        n = notification
        send_mail(n.subject, n.body, settings.DEFAULT_FROM_EMAIL, [n.recipient])


class OutboxFolderGateway:
    """Training and tests: one file per message under LMN_DATA_DIR/outbox/<channel>."""

    def send(self, notification: Notification) -> None:
        n = notification
        outbox = Path(settings.DATA_DIR) / "outbox" / n.channel
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / f"{n.pk}.txt").write_text(f"Till: {n.recipient}\n\n{n.body}\n", encoding="utf-8")


class DatabaseOutboxGateway:
    """The message as a row, written in the sending transaction: every server sees it."""

    def send(self, notification: Notification) -> None:
        n = notification
        OutboundMessage.objects.create(
            notification=n, channel=n.channel, recipient=n.recipient, body=n.body
        )


class HttpGateway:
    """POSTs the message as JSON to LMN_<CHANNEL>_GATEWAY_URL (a placeholder integration)."""

    def send(self, notification: Notification) -> None:
        n = notification
        url = getattr(settings, f"LMN_{n.channel.upper()}_GATEWAY_URL", "")
        if not url.startswith(("https://", "http://")):
            raise RuntimeError(f"no gateway URL for {n.channel}")
        body = {"id": n.pk, "to": n.recipient, "subject": n.subject, "text": n.body}
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
            url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": f"lmn-{n.pk}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            response.read()


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>." + body, as the receiver recomputes it."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class WebhookGateway:
    """POSTs the notification's JSON body to a registered journal system, signed.

    Headers: `X-LMN-Timestamp` (Unix seconds), `X-LMN-Signature: sha256=<hex>` and
    `Idempotency-Key: lmn-<notification id>` (the same on every retry: delivery is at
    least once, the receiver drops repeats). Anything but a 2xx raises: the job retries.
    """

    def send(self, notification: Notification) -> None:
        n = notification
        hook = Webhook.objects.filter(
            pk=int(n.recipient.removeprefix("webhook:") or 0), active=True
        ).first()
        if hook is None:
            return  # unregistered since: nobody to tell
        body = n.body.encode()
        timestamp = str(int(time.time()))
        request = urllib.request.Request(  # noqa: S310 (a URLField: http(s) only)
            hook.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-LMN-Timestamp": timestamp,
                "X-LMN-Signature": webhook_signature(hook.secret, timestamp, body),
                "Idempotency-Key": f"lmn-{n.pk}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            response.read()


GATEWAYS = {
    "webhook": "lmn.notifications.gateways.WebhookGateway",
    "email": "lmn.notifications.gateways.EmailGateway",
    "folder": "lmn.notifications.gateways.OutboxFolderGateway",
    "database": "lmn.notifications.gateways.DatabaseOutboxGateway",
    "http": "lmn.notifications.gateways.HttpGateway",
}


def gateway_for(channel: str) -> Gateway:
    return _gateway(settings.LMN_NOTIFICATION_GATEWAYS[channel])


@cache
def _gateway(name: str) -> Gateway:
    gateway: Gateway = import_string(GATEWAYS.get(name, name))()
    return gateway
