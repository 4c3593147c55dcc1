"""The auditor's systematic log follow-up (PDL-3): the views of the audit trail.

Each view answers audit events that showed a patient's data (outcome ok, a patient
named), newest first, within an optional period. They read the trail; they never
change it. Reviews are ReviewMarks beside it (services.mark_reviewed).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from lmn.audit.models import AuditEvent
from lmn.core import clock
from lmn.patients.models import Patient

from .models import ReviewMark

EMERGENCY = "patients.emergency_access"
SAMPLE_SIZE = 10
# a user stands out when they looked at this many times the median user's patients...
VOLUME_FACTOR = 3
# ...and at least this many patients (a quiet month makes small numbers look large)
VOLUME_FLOOR = 20


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.STOCKHOLM)


def accesses(since: dt.date | None = None, until: dt.date | None = None) -> QuerySet[AuditEvent]:
    """Accesses to patients' data in the period (Stockholm days, both included)."""
    qs = AuditEvent.objects.filter(patient_id__isnull=False, outcome=AuditEvent.Outcome.OK)
    if since:
        qs = qs.filter(at__gte=_start(since))
    if until:
        qs = qs.filter(at__lt=_start(until + dt.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def to_patient(patient: Patient, **period: dt.date | None) -> QuerySet[AuditEvent]:
    return accesses(**period).filter(patient_id=patient.pk)


def by_user(hsa_id: str, **period: dt.date | None) -> QuerySet[AuditEvent]:
    return accesses(**period).filter(actor_hsa_id=hsa_id)


def outside_own_unit(**period: dt.date | None) -> QuerySet[AuditEvent]:
    """Care relationships and emergency accesses: the reads of other units' and other
    care providers' records (PDL-1), each flagged for follow-up when stated."""
    return accesses(**period).filter(data__follow_up=True)


def emergency(**period: dt.date | None) -> QuerySet[AuditEvent]:
    return accesses(**period).filter(action=EMERGENCY)


def protected_identities(**period: dt.date | None) -> QuerySet[AuditEvent]:
    protected = Patient.objects.filter(protected=True).values("pk")
    return accesses(**period).filter(patient_id__in=protected)


@dataclass(frozen=True)
class Volume:
    hsa_id: str
    patients: int  # distinct patients accessed in the period
    median: float


def unusual_volume(
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    factor: int = VOLUME_FACTOR,
    floor: int = VOLUME_FLOOR,
) -> list[Volume]:
    """Users whose number of distinct patients stands out against the median user's."""
    counts = list(
        accesses(since, until)
        .order_by()
        .values("actor_hsa_id")
        .annotate(n=Count("patient_id", distinct=True))
        .values_list("actor_hsa_id", "n")
    )
    if not counts:
        return []
    median = statistics.median(n for _, n in counts)
    return sorted(
        (Volume(hsa_id, n, median) for hsa_id, n in counts if n >= floor and n > factor * median),
        key=lambda v: -v.patients,
    )


def random_sample(
    unit_number: str, year: int, month: int, *, size: int = SAMPLE_SIZE
) -> list[AuditEvent]:
    """A random sample of one unit's accesses in one month, the same each time it is
    asked for (seeded by unit and month), so that a review can be repeated."""
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    ids = list(accesses(first, last).filter(unit_number=unit_number).values_list("id", flat=True))
    # repeatable on purpose, not a secret: the same month gives the auditor the same sample
    seeded = random.Random(f"{unit_number}-{year}-{month}")  # noqa: S311
    chosen = seeded.sample(ids, min(size, len(ids)))
    return list(AuditEvent.objects.filter(pk__in=chosen).order_by("-at", "-id"))


def reviews_of(event_ids: Iterable[int]) -> dict[int, ReviewMark]:
    """The latest review of each event, if any."""
    marks: dict[int, ReviewMark] = {}
    for mark in ReviewMark.objects.filter(event_id__in=list(event_ids)).order_by("id"):
        marks[mark.event_id] = mark
    return marks
