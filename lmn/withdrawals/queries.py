"""Scoping and entitlement reads for withdrawals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Min, QuerySet, Sum

from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.patients.queries import visible_patient_q
from lmn.prescriptions.entitlement import Entitlement, compute_entitlement
from lmn.prescriptions.models import Prescription

from .models import Withdrawal, WithdrawalLine
from .states import NOT_COUNTING


def withdrawals_visible_to(actor: Actor) -> QuerySet[Withdrawal]:
    """Withdrawals of patients the actor may see (same rule as patients_visible_to)."""
    return Withdrawal.objects.filter(visible_patient_q(actor, "patient__"))


def entitlements_for(
    prescriptions: Iterable[Prescription], *, today: dt.date | None = None
) -> dict[int, Entitlement]:
    """Entitlement of each prescription, in one query for the withdrawals so far."""
    prescriptions = list(prescriptions)
    today = today or clock.today()
    totals = {
        row["prescription_id"]: row
        for row in WithdrawalLine.objects.filter(prescription__in=prescriptions)
        .exclude(withdrawal__status__in=NOT_COUNTING)
        .values("prescription_id")
        .annotate(total=Sum("quantity"), first=Min("withdrawal__placed_at"))
    }
    result = {}
    for p in prescriptions:
        row = totals.get(p.pk)
        first = row["first"].astimezone(clock.STOCKHOLM).date() if row else None
        result[p.pk] = compute_entitlement(
            p,
            withdrawn_total=row["total"] if row else 0,
            first_withdrawal_on=first,
            today=today,
            max_supply_days=p.max_supply_days,
        )
    return result


def entitlement_for(prescription: Prescription, *, today: dt.date | None = None) -> Entitlement:
    return entitlements_for([prescription], today=today)[prescription.pk]


def withdrawals_to_ship(actor: Actor) -> QuerySet[Withdrawal]:
    """What the distributor handles: every withdrawal, those of protected patients too.

    Those go to the prescribing unit (SKYDD-5), and what the distributor is shown of
    them is the unit and the prescriber, never the patient (SKYDD-6, labels.py). A
    withdrawal held because the register newly protects its patient is not shown at all
    (queue, API, label) until customer service records the unit's decision (protected.py).
    """
    if actor.role not in (Role.DISTRIBUTOR, Role.SYSTEM):
        return Withdrawal.objects.none()
    return Withdrawal.objects.exclude(held_at__isnull=False, released_at__isnull=True)


def withdrawals_for(actor: Actor) -> QuerySet[Withdrawal]:
    """The withdrawals an actor may look up by number: the distributor's shipping scope,
    everyone else's patient scope."""
    if actor.role == Role.DISTRIBUTOR:
        return withdrawals_to_ship(actor)
    return withdrawals_visible_to(actor)
