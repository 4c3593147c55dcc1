"""What an actor may see of withdrawals and joint orders, and entitlement reads.

The `*_visible_to` / `*_for` querysets are the one way to list what an actor may see;
`get_withdrawal` and `joint_order_visible_to` read one thing by its number and audit
the read (or the miss), for every adapter alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, OuterRef, Prefetch, QuerySet, Subquery, Sum

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import NotFound
from lmn.patients.access import care_scope_q
from lmn.patients.models import Patient
from lmn.patients.queries import visible_patient_q
from lmn.prescriptions.entitlement import Entitlement, compute_entitlement
from lmn.prescriptions.models import Prescription

from .models import JointOrder, Withdrawal, WithdrawalLine
from .states import NOT_COUNTING

WITHDRAWAL_NUMBER = re.compile(r"^U\d{8}$")


def withdrawals_visible_to(actor: Actor) -> QuerySet[Withdrawal]:
    """Withdrawals of patients the actor may see (same rule as patients_visible_to),
    ordered by units whose records the actor may see (PDL-1, PDL-2)."""
    return Withdrawal.objects.filter(
        visible_patient_q(actor, "patient__"), care_scope_q(actor, unit="ordering_unit")
    )


def latest_withdrawals_of(
    patient: Patient, *, actor: Actor, limit: int = 50
) -> QuerySet[Withdrawal]:
    """A patient's latest withdrawals with their lines and products: three queries
    however many there are (the patient page)."""
    lines = WithdrawalLine.objects.select_related("product").order_by("pk")
    return (
        withdrawals_visible_to(actor)
        .filter(patient=patient)
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-placed_at")[:limit]
    )


def entitlements_for(
    prescriptions: Iterable[Prescription], *, today: dt.date | None = None
) -> dict[int, Entitlement]:
    """Entitlement of each prescription, in one query for the withdrawals so far."""
    prescriptions = list(prescriptions)
    today = today or clock.today()
    totals = _withdrawn_so_far(prescriptions)
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


def _withdrawn_so_far(prescriptions: list[Prescription]) -> dict[int, Any]:
    """Per prescription: the total withdrawn and the first withdrawal's time, from the
    annotations of with_withdrawn if the prescriptions were read so, else in one query."""
    annotated = [vars(p) for p in prescriptions]  # annotations are instance attributes
    if annotated and all("withdrawn_total" in a for a in annotated):
        return {
            a["id"]: {"total": a["withdrawn_total"], "first": a["first_withdrawn_at"]}
            for a in annotated
            if a["withdrawn_total"] is not None
        }
    return {
        row["prescription_id"]: row
        for row in WithdrawalLine.objects.filter(prescription__in=prescriptions)
        .exclude(withdrawal__status__in=NOT_COUNTING)
        .values("prescription_id")
        .annotate(total=Sum("quantity"), first=Min("withdrawal__placed_at"))
    }


_counting_lines = (
    WithdrawalLine.objects.filter(prescription_id=OuterRef("pk"))
    .exclude(withdrawal__status__in=NOT_COUNTING)
    .order_by()
    .values("prescription_id")
)


def with_withdrawn[Q: QuerySet[Any]](prescriptions: Q) -> Q:
    """The prescriptions with what was withdrawn on each so far, in the same query
    (entitlements_for then reads nothing more). Not for a locking read on PostgreSQL:
    its snapshot is taken before it waits for the lock, so it could miss an order
    committed meanwhile."""
    annotated = prescriptions.annotate(
        withdrawn_total=Subquery(_counting_lines.annotate(t=Sum("quantity")).values("t")),
        first_withdrawn_at=Subquery(
            _counting_lines.annotate(m=Min("withdrawal__placed_at")).values("m")
        ),
    )
    return annotated


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


def get_withdrawal(
    number: str, *, actor: Actor, channel: str = "", audit_read: bool = True
) -> Withdrawal:
    """The withdrawal if the actor may look it up (withdrawals_for), else NotFound.

    Out of scope answers exactly like missing (SKYDD-1), and both are audited.
    `audit_read=False` where the caller's service audits what it does with it (a label
    print, a shipment step).
    """
    wanted = number.strip().upper()
    found = None
    if WITHDRAWAL_NUMBER.match(wanted):
        found = (
            withdrawals_for(actor)
            .select_related("patient", "ordering_unit", "ordered_by")
            .filter(number=wanted)
            .first()
        )
    if found is None:
        record(
            "withdrawals.withdrawal.read",
            actor=actor,
            outcome="not_found",
            channel=channel,
            data={"number": wanted if WITHDRAWAL_NUMBER.match(wanted) else "(ogiltigt)"},
        )
        raise NotFound()
    if audit_read:
        record(
            "withdrawals.withdrawal.read",
            actor=actor,
            patient=found.patient,
            obj=found,
            channel=channel,
        )
    return found


@dataclass(frozen=True)
class JointOrderRead:
    order: JointOrder
    withdrawals: list[Withdrawal]  # the residents' withdrawals, by patient name


def joint_order_visible_to(actor: Actor, number: str, *, channel: str = "") -> JointOrderRead:
    """One of the ward's own joint orders (SAM-1) with its residents' withdrawals, the
    read audited with the patients shown; another ward's answers like a missing one
    (NotFound), and the miss is audited too."""
    order = (
        JointOrder.objects.select_related("ward").filter(number=number, ward=actor.unit).first()
        if actor.unit is not None
        else None
    )
    if order is None:
        record(
            "withdrawals.joint_order.read",
            actor=actor,
            outcome="not_found",
            channel=channel,
            data={"number": number[:9]},
        )
        raise NotFound()
    withdrawals = list(
        withdrawals_visible_to(actor)
        .filter(joint_order=order)
        .select_related("patient")
        .prefetch_related("lines__product")
        .order_by("patient__last_name", "patient__first_name", "pk")
    )
    record(
        "withdrawals.joint_order.read",
        actor=actor,
        obj=order,
        channel=channel,
        data={"number": order.number, "patients": [w.patient_id for w in withdrawals]},
    )
    return JointOrderRead(order, withdrawals)
