"""A reminder some days before an uncollected parcel goes back (PICK-4's deadline)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.notifications.services import queue
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.shipping import notice_route
from lmn.withdrawals.states import WithdrawalStatus

from .models import CollectionReminder


def remind_before_return(*, actor: Actor, today: dt.date | None = None) -> int:
    """Remind each parcel waiting at a pickup point once, when its last day is near."""
    today = today or clock.today()
    soon = today + dt.timedelta(days=settings.LMN_COLLECTION_REMINDER_DAYS)
    waiting = (
        Withdrawal.objects.filter(
            status=WithdrawalStatus.ARRIVED,
            collect_by__gte=today,
            collect_by__lte=soon,
            collection_reminder__isnull=True,
        )
        .select_related("patient")
        .order_by("pk")
    )
    sent = 0
    for w in waiting:
        try:
            with transaction.atomic():
                reminder = CollectionReminder.objects.create(withdrawal=w, sent_on=today)
                channel, recipient = notice_route(w)
                queue(
                    channel=channel,
                    recipient=recipient,
                    subject=f"Hämta din försändelse {w.number}",
                    body=(
                        f"Påminnelse: försändelse {w.number} från LMN väntar på "
                        f"utlämningsstället. Hämta den senast {w.collect_by:%Y-%m-%d}, "
                        "annars skickas den tillbaka. Ta med legitimation."
                    ),
                    patient=w.patient,
                    obj=w,
                )
                record("reminder.collection", actor=actor, patient=w.patient, obj=reminder)
        except IntegrityError:  # another worker reminded it meanwhile
            continue
        sent += 1
    return sent
