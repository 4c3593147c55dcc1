"""Scheduled work of the prescriptions app (settings.LMN_SCHEDULED_JOBS).

expiry_notices: a patient whose prescription expires within NOTICE_DAYS is told once
whom to contact: the prescribing unit by name and switchboard, never the prescriber's
direct details (CON-2). Sent through the notification outbox in the transaction that
marks the prescription as noticed, so a rerun (or a second worker) sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.notifications.models import Notification
from lmn.notifications.services import queue
from lmn.patients.models import Patient

from .models import Prescription
from .states import PrescriptionStatus

log = logging.getLogger(__name__)
NOTICE_DAYS = 30


def patient_channel(patient: Patient) -> tuple[str, str]:
    """The one place that chooses how a patient is reached: (channel, recipient).

    Today always a letter to the registered address. When the patient e-service (1177)
    can deliver messages, choose it here for a patient who has it.
    """
    address = f"{patient.first_name} {patient.last_name}\n{patient.street}\n"
    return Notification.Channel.LETTER, f"{address}{patient.postcode} {patient.city}"


def notice_text(prescription: Prescription) -> str:
    unit = prescription.unit
    contact = unit.name + (f", {_('telefon')} {unit.phone}" if unit.phone else "")
    return _(
        "Din förskrivning av %(product)s gäller till och med %(until)s. Behöver du "
        "produkten även efter det, kontakta %(contact)s för att förnya förskrivningen."
    ) % {
        "product": prescription.product.name,
        "until": prescription.valid_until.isoformat(),
        "contact": contact,
    }


def due_for_notice(today: dt.date) -> list[Prescription]:
    """Active prescriptions expiring soon, not yet noticed. Protected patients get no
    letter from here (their address must not leave the unit), nor deceased ones."""
    return list(
        Prescription.objects.filter(
            status=PrescriptionStatus.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=NOTICE_DAYS),
            expiry_notice_at__isnull=True,
            patient__protected=False,
            patient__deceased_on__isnull=True,
            patient__converted_to__isnull=True,
        )
        .select_related("patient", "product", "unit")
        .order_by("pk")[:500]
    )


def expiry_notices() -> dict[str, int]:
    actor = Actor.system("expiry-notices")
    sent = 0
    for prescription in due_for_notice(clock.today()):
        with transaction.atomic():
            claimed = Prescription.objects.filter(
                pk=prescription.pk, expiry_notice_at__isnull=True
            ).update(expiry_notice_at=clock.now())
            if not claimed:
                continue  # another run took it
            channel, recipient = patient_channel(prescription.patient)
            queue(
                channel=channel,
                recipient=recipient,
                subject=_("Din förskrivning går snart ut"),
                body=notice_text(prescription),
                patient=prescription.patient,
                obj=prescription,
            )
            record(
                "prescriptions.expiry_notice.queued",
                actor=actor,
                patient=prescription.patient,
                obj=prescription,
                data={"channel": channel},
            )
            sent += 1
    if sent:
        log.info("expiry notices queued: %d", sent)  # a count only: nothing personal
    return {"expiry_notices": sent}
