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
        # a journal system's registered endpoint (Webhook); the recipient is "webhook:<id>"
        WEBHOOK = "webhook", _("Webhook")

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


class Webhook(models.Model):
    """A journal system's endpoint, told when a withdrawal of its unit changes state.

    Registered by LMN administration (the admin). Each delivery is a notification on the
    outbox (at least once, retried by the scheduled job), signed with HMAC-SHA256 under
    `secret`; the body names the withdrawal and its SupplyRequests, never the patient.
    """

    unit_number = models.CharField("kundnummer", max_length=6, db_index=True)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128)  # shared with the journal system only
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Webhook {self.pk} ({self.unit_number})"
