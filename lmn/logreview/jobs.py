"""Scheduled: apply the retention policy (RetentionPolicy), itself audited."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from lmn.audit.models import AuditEvent
from lmn.audit.services import record
from lmn.cases.models import Case
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.patients.models import Patient
from lmn.patients.services.care import pseudonymise_patient
from lmn.prescriptions.models import Prescription
from lmn.withdrawals.models import Withdrawal

from .models import RetentionPolicy

PSEUDONYM = "Pseudonymiserad"
BATCH = 500  # patients per run; the next run takes the rest


def _years_ago(years: int) -> dt.date:
    today = clock.today()
    day = 28 if (today.month, today.day) == (2, 29) else today.day  # no 29 Feb that year
    return today.replace(year=today.year - years, day=day)


def inactive_patients(years: int) -> list[Patient]:
    """No prescription valid since, no withdrawal placed since, no case at all (a case
    may still need the identity), not protected (SKYDD keeps its own rules), not yet
    pseudonymised."""
    since = _years_ago(years)
    recent_rx = Prescription.objects.filter(patient=OuterRef("pk"), valid_until__gte=since)
    recent_w = Withdrawal.objects.filter(
        patient=OuterRef("pk"),
        placed_at__gte=dt.datetime.combine(since, dt.time(), tzinfo=clock.STOCKHOLM),
    )
    cases = Case.objects.filter(patient=OuterRef("pk"))
    return list(
        Patient.objects.filter(
            created_at__lt=dt.datetime.combine(since, dt.time(), tzinfo=clock.STOCKHOLM),
            protected=False,
        )
        .exclude(first_name=PSEUDONYM)
        .exclude(Q(Exists(recent_rx)) | Q(Exists(recent_w)) | Q(Exists(cases)))
        .order_by("pk")[:BATCH]
    )


def apply_retention() -> dict[str, int]:
    actor = Actor.system("retention")
    policy, _ = RetentionPolicy.objects.get_or_create(region="VG")
    done = [
        pseudonymise_patient(p, actor=actor).pk
        for p in inactive_patients(policy.inactive_patient_years)
    ]
    old_events = AuditEvent.objects.filter(
        at__lt=dt.datetime.combine(
            _years_ago(policy.audit_event_years), dt.time(), tzinfo=clock.STOCKHOLM
        )
    ).count()
    result = {"patients_pseudonymised": len(done), "audit_events_past_retention": old_events}
    record("logreview.retention.applied", actor=actor, data=result)
    return result
