from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An outbox row: written in the business transaction, sent after commit.

    A failed send leaves `sent_at` empty, so `send_pending` picks it up again.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-post")
        LETTER = "letter", _("Brev")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=300)  # phone, e-mail or postal address
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    patient_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"], name="notification_pending")]


class OutboundMessage(models.Model):
    """An SMS or letter handed to the database outbox (gateways.DatabaseOutboxGateway).

    Written in the transaction that marks its notification sent, so a message is here
    exactly when its notification counts as sent; the region's gateway integration
    reads from here. No unique constraint on purpose: a duplicate would show, not hide.
    """

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT)
    channel = models.CharField(max_length=10, choices=Notification.Channel.choices)
    recipient = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
