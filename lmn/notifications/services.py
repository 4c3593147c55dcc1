"""Queue notifications with the business change; send them after it commits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction

from lmn.core import clock

from .models import Notification


def queue(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    patient: Any = None,
    obj: models.Model | None = None,
) -> Notification:
    notification = Notification.objects.create(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        patient_id=getattr(patient, "pk", None),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        created_at=clock.now(),
    )
    transaction.on_commit(lambda: send(notification.pk))
    return notification


def send(notification_id: int) -> None:
    """Send one queued notification; e-mail through Django's mail backend.

    SMS and letters go to the region's gateways; in training and tests the outbox
    folder under LMN_DATA_DIR stands in for them, one file per message.
    """
    n = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).first()
    if n is None:
        return
    Notification.objects.filter(pk=n.pk).update(attempts=n.attempts + 1)
    if n.channel == Notification.Channel.EMAIL:
        send_mail(n.subject, n.body, settings.DEFAULT_FROM_EMAIL, [n.recipient])
    else:
        outbox = Path(settings.DATA_DIR) / "outbox" / n.channel
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / f"{n.pk}.txt").write_text(f"Till: {n.recipient}\n\n{n.body}\n", encoding="utf-8")
    Notification.objects.filter(pk=n.pk).update(sent_at=clock.now())


def send_pending(limit: int = 500) -> int:
    """Retry what was not sent (e.g. the process stopped between commit and send)."""
    ids = list(
        Notification.objects.filter(sent_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        send(pk)
    return len(ids)
