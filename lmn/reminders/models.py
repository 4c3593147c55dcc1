"""Run-out reminders (EPAT-3) and the reminders before an uncollected parcel goes back."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-post")
    LETTER = "letter", _("Brev")


class ReminderSetting(models.Model):
    """The patient's choice: how to be reminded, or not at all (opt-out any time).

    Without a row the patient is reminded the way their latest order was notified, else
    by letter to the registered address (channels.channel_for)."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="reminder_setting"
    )
    opted_out = models.BooleanField(default=False)
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.CharField(max_length=254, blank=True)
    updated_at = models.DateTimeField()


class RunOutReminder(models.Model):
    """One reminder per prescription and supply period.

    A supply period is named by the day the supply delivered so far runs out
    (`runs_out_on`); a new order moves that day, which opens the next period. The unique
    constraint is what makes a job that runs twice, or crashes halfway, send nothing twice.
    """

    prescription = models.ForeignKey(
        "prescriptions.Prescription", on_delete=models.CASCADE, related_name="run_out_reminders"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    runs_out_on = models.DateField()
    order_by = models.DateField()  # the last day standard delivery arrives in time
    sent_on = models.DateField()
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices)
    notification_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prescription", "runs_out_on"], name="one_reminder_per_supply_period"
            )
        ]
        indexes = [models.Index(fields=["patient", "-sent_on"], name="reminder_patient_sent")]


class CollectionReminder(models.Model):
    """The notice sent a few days before an uncollected parcel is returned: at most one."""

    withdrawal = models.OneToOneField(
        "withdrawals.Withdrawal", on_delete=models.CASCADE, related_name="collection_reminder"
    )
    sent_on = models.DateField()
