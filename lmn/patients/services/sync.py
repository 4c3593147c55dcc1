"""Following the population register: protection (SKYDD-7) and deaths; run by the scheduler."""

from __future__ import annotations

from django.db import transaction

from lmn.audit.services import record
from lmn.core.actor import Actor

from .. import register
from ..models import PERSONAL_KINDS, Patient


def sync_protection_from_register(*, actor: Actor) -> int:
    """Lock patients the register now marks as protected (SKYDD-7); run by the scheduler.

    The record keeps no unit, so nobody sees its overview, prescriptions or history;
    prescribing starts anew through a protected-identity case. Idempotent.
    """
    protected_numbers = register.protected_identifiers()
    locked = 0
    with transaction.atomic():
        to_lock = list(
            Patient.objects.filter(
                identity_kind__in=PERSONAL_KINDS,
                protected=False,
                identifier__in=protected_numbers,
            ).order_by("pk")
        )
        for patient in to_lock:
            # conditional: a concurrent run locks each record once, and audits it once
            if Patient.objects.filter(pk=patient.pk, protected=False).update(
                protected=True, protected_unit=None
            ):
                record("patients.patient.protected", actor=actor, patient=patient, obj=patient)
                locked += 1
    return locked


def sync_deaths_from_register(*, actor: Actor) -> int:
    """Record the deaths the register reports for patients LMN knows; run by the
    scheduler. What follows a death (stopped withdrawals, ended prescriptions) is done by
    lmn.cases.register_sync. Idempotent: a recorded death is not recorded again."""
    newly = list(
        Patient.objects.filter(
            identity_kind__in=PERSONAL_KINDS,
            deceased_on__isnull=True,
            identifier__in=register.deceased_identifiers(),
        )
        .order_by("pk")
        .values_list("pk", "identifier")
    )
    deaths = register.deaths_among([identifier for _, identifier in newly])
    recorded = 0
    with transaction.atomic():
        for pk, identifier in newly:
            day = deaths.get(identifier)
            # conditional: a concurrent run records each death once, and audits it once
            if day and Patient.objects.filter(pk=pk, deceased_on__isnull=True).update(
                deceased_on=day
            ):
                record(
                    "patients.patient.deceased",
                    actor=actor,
                    patient=Patient(pk=pk),
                    obj=Patient(pk=pk),
                    data={"deceased_on": day.isoformat()},
                )
                recorded += 1
    return recorded
