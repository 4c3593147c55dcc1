"""What staff see of reminders on the patient page."""

from __future__ import annotations

from lmn.patients.models import Patient

from .models import ReminderSetting, RunOutReminder


def last_reminder_of(patient: Patient) -> RunOutReminder | None:
    return RunOutReminder.objects.filter(patient=patient).order_by("-sent_on", "-pk").first()


def reminder_setting_of(patient: Patient) -> ReminderSetting | None:
    return ReminderSetting.objects.filter(patient=patient).first()
