"""Sending run-out reminders (EPAT-3) and recording the patient's choice of channel.

A reminder goes out once per prescription and supply period, when it is time to order
so that standard delivery arrives before what was delivered runs out. One message per
patient and day covers all of their prescriptions that are due, never to a protected
identity, never naming a product in an SMS (whoever sees the phone sees the text).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, Problem
from lmn.delivery.details import normalise_phone, valid_email
from lmn.delivery.policy import region_policy
from lmn.notifications.services import queue
from lmn.patients.models import Patient
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.states import PrescriptionStatus
from lmn.withdrawals.queries import entitlements_for

from .channels import Route, channel_for
from .models import ReminderChannel, ReminderSetting, RunOutReminder
from .rules import last_order_day, reminder_day

# reasons under which something can be ordered now or later in this supply period
_ORDERABLE_REASONS = {"ok", "too_early"}


@dataclass(frozen=True)
class Due:
    prescription: Prescription
    runs_out_on: dt.date
    order_by: dt.date


def due_reminders(today: dt.date, *, chunk: int = 2000) -> list[Due]:
    """Every prescription whose reminder for its current supply period is due today and
    has not gone out. Read in chunks: one query for the withdrawals of each chunk."""
    active = (
        Prescription.objects.filter(
            status=PrescriptionStatus.ACTIVE,
            valid_until__gte=today,
            patient__protected=False,
            patient__deceased_on__isnull=True,
        )
        .select_related("patient", "product")
        .order_by("pk")
    )
    due: list[Due] = []
    batch: list[Prescription] = []
    for p in active.iterator(chunk_size=chunk):
        batch.append(p)
        if len(batch) == chunk:
            due += _due_in(batch, today)
            batch = []
    if batch:
        due += _due_in(batch, today)
    return due


def _due_in(prescriptions: list[Prescription], today: dt.date) -> list[Due]:
    working_days = region_policy().standard_working_days
    margin = settings.LMN_REMINDER_MARGIN_DAYS
    entitlements = entitlements_for(prescriptions, today=today)
    due = []
    for p in prescriptions:
        ent = entitlements[p.pk]
        runs_out_on = ent.covered_until
        if runs_out_on is None or ent.reason not in _ORDERABLE_REASONS or runs_out_on < today:
            continue  # nothing delivered yet, nothing left to order, or long run out
        orderable_from = today if ent.withdrawable_now else (ent.next_possible_date or today)
        order_by = last_order_day(runs_out_on, working_days=working_days)
        if (
            reminder_day(order_by=order_by, orderable_from=orderable_from, margin_days=margin)
            <= today
        ):
            due.append(Due(p, runs_out_on, order_by))
    sent = set(
        RunOutReminder.objects.filter(prescription__in=[d.prescription for d in due]).values_list(
            "prescription_id", "runs_out_on"
        )
    )
    return [d for d in due if (d.prescription.pk, d.runs_out_on) not in sent]


def send_run_out_reminders(*, actor: Actor, today: dt.date | None = None) -> int:
    """Send what is due; answers how many patients were reminded. Safe to run twice."""
    today = today or clock.today()
    by_patient: dict[int, list[Due]] = defaultdict(list)
    for d in due_reminders(today):
        by_patient[d.prescription.patient_id].append(d)
    sent = 0
    for items in by_patient.values():
        sent += _remind_patient(items, today=today, actor=actor)
    return sent


def _remind_patient(items: list[Due], *, today: dt.date, actor: Actor) -> int:
    patient = items[0].prescription.patient
    route = channel_for(patient)
    if route is None:
        return 0
    try:
        with transaction.atomic():
            rows = RunOutReminder.objects.bulk_create(
                RunOutReminder(
                    prescription=d.prescription,
                    patient=patient,
                    runs_out_on=d.runs_out_on,
                    order_by=d.order_by,
                    sent_on=today,
                    channel=route.channel,
                )
                for d in items
            )
            notification = queue(
                channel=route.channel,
                recipient=route.recipient,
                subject="Dags att beställa",
                body=reminder_text(items, route),
                patient=patient,
                obj=rows[0],
            )
            RunOutReminder.objects.filter(pk__in=[r.pk for r in rows]).update(
                notification_id=notification.pk
            )
            record(
                "reminder.run_out",
                actor=actor,
                patient=patient,
                obj=rows[0],
                data={"channel": route.channel, "prescriptions": len(rows)},
            )
    except IntegrityError:  # another run reminded this period meanwhile: nothing twice
        return 0
    return 1


def reminder_text(items: list[Due], route: Route) -> str:
    order_by = min(d.order_by for d in items)
    text = (
        "Hej! Det är snart dags att beställa dina förbrukningsartiklar från LMN igen. "
        f"Beställ senast {order_by:%Y-%m-%d} så att leveransen hinner fram innan det du "
        "har räcker ut. Beställ i e-tjänsten eller kontakta din mottagning."
    )
    if route.channel == ReminderChannel.LETTER:  # a letter is private: it may say what
        names = ", ".join(sorted({d.prescription.product.name for d in items}))
        text += f" Det gäller: {names}."
    return text + " Vill du inte få påminnelser? Ändra det i e-tjänsten eller hos kundtjänst."


def choose_reminders(
    patient: Patient,
    *,
    channel: str,
    phone: str = "",
    email: str = "",
    opted_out: bool = False,
    actor: Actor,
) -> ReminderSetting:
    """Record how the patient wants to be reminded, or that they want no reminders."""
    phone, email = phone.strip(), email.strip()
    problems = []
    if not opted_out and channel not in ReminderChannel.values:
        problems.append(
            Problem("reminder_channel", "Välj hur patienten vill bli påmind.", "channel")
        )
    if not opted_out and channel == ReminderChannel.SMS and not phone:
        problems.append(Problem("reminder_phone", "Ange mobilnummer för sms.", "phone"))
    elif phone:
        normalised = normalise_phone(phone)
        if normalised is None:
            problems.append(Problem("invalid_phone", "Ange ett giltigt mobilnummer.", "phone"))
        phone = normalised or phone
    if not opted_out and channel == ReminderChannel.EMAIL and not email:
        problems.append(Problem("reminder_email", "Ange e-postadress.", "email"))
    elif email and not valid_email(email):
        problems.append(Problem("invalid_email", "Ange en giltig e-postadress.", "email"))
    if problems:
        raise DomainError(*problems)
    with transaction.atomic():
        setting, _ = ReminderSetting.objects.update_or_create(
            patient=patient,
            defaults={
                "opted_out": opted_out,
                "channel": "" if opted_out else channel,
                "phone": phone,
                "email": email,
                "updated_at": clock.now(),
            },
        )
        record(
            "reminder.setting",
            actor=actor,
            patient=patient,
            obj=setting,
            data={"opted_out": opted_out, "channel": setting.channel},
        )
    return setting
