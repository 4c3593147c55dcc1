"""Queue notifications with the business change; send them after it commits."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import models, transaction

from lmn.core import clock

from .gateways import gateway_for
from .models import Notification

log = logging.getLogger(__name__)


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
    transaction.on_commit(lambda: _send_after_commit(notification.pk))
    return notification


def _send_after_commit(notification_id: int) -> None:
    """The business change is committed: a gateway that is down must not turn its answer
    into an error. The row stays queued and the job sends it later."""
    try:
        send(notification_id)
    except Exception as exc:  # the class only: a gateway's message may name the recipient
        log.warning("notification %d not sent (%s); queued for retry", notification_id,
                    type(exc).__name__)  # fmt: skip


def send(notification_id: int) -> bool:
    """Send one queued notification through its channel's gateway, at most once.

    The row is claimed first (on PostgreSQL a row lock that another sender skips; on
    SQLite the write transaction is already exclusive), and marked sent in the same
    transaction, so two servers or workers never both send it. A failed send counts
    the attempt, leaves `sent_at` empty for the job to retry, and raises.
    """
    failure: Exception | None = None
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if n is None:  # sent already, or another sender holds it now
            return False
        n.attempts += 1
        try:
            with transaction.atomic():  # a savepoint: a failing database gateway undoes only itself
                gateway_for(n.channel).send(n)
        except Exception as exc:  # the attempt still counts; the job retries later
            failure = exc
        else:
            n.sent_at = clock.now()
        n.save(update_fields=["attempts", "sent_at"])
    if failure is not None:
        raise failure
    return True


def send_pending(limit: int = 500) -> int:
    """Send what was not sent (e.g. the process stopped between commit and send).

    Answers how many this call sent; rows another sender holds are left to it."""
    ids = list(
        Notification.objects.filter(sent_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(send(pk) for pk in ids)


def queue_webhooks(
    hooks: Any, *, payload: dict[str, Any], patient: Any = None, obj: models.Model | None = None
) -> int:
    """One outbox notification per registered journal-system endpoint in `hooks` (a
    Webhook queryset), in the caller's transaction: sent after commit, retried until taken."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    count = 0
    for hook_id in hooks.filter(active=True).values_list("pk", flat=True):
        queue(channel="webhook", recipient=f"webhook:{hook_id}", body=body, patient=patient,
              obj=obj)  # fmt: skip
        count += 1
    return count
