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

from django.db.models import Prefetch, QuerySet, Sum

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import NotFound
from lmn.core.prepared import Prepared
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


def _withdrawn_rows(ids: list[int]) -> QuerySet[Any, Any]:
    """(prescription, placed at, quantity) per counting withdrawal, oldest first."""
    return (
        WithdrawalLine.objects.filter(prescription_id__in=ids)
        .exclude(withdrawal__status__in=NOT_COUNTING)
        .values_list("prescription_id", "withdrawal__placed_at")
        .annotate(total=Sum("quantity"))
        .order_by("withdrawal__placed_at", "withdrawal_id")
    )


_withdrawn = Prepared(_withdrawn_rows)


def entitlements_for(
    prescriptions: Iterable[Prescription], *, today: dt.date | None = None
) -> dict[int, Entitlement]:
    """Entitlement of each prescription, in one query for the withdrawals so far (one row
    per withdrawal: coverage after a gap starts on the withdrawal's day, RX-1, GEN-3)."""
    prescriptions = list(prescriptions)
    today = today or clock.today()
    history: dict[int, list[tuple[dt.date, int]]] = {}
    rows = _withdrawn(ids=[p.pk for p in prescriptions]) if prescriptions else []
    for prescription_id, placed_at, quantity in rows:
        day = placed_at.astimezone(clock.STOCKHOLM).date()
        history.setdefault(prescription_id, []).append((day, quantity))
    result = {}
    for p in prescriptions:
        made = history.get(p.pk, [])
        result[p.pk] = compute_entitlement(
            p,
            withdrawn_total=sum(q for _day, q in made),
            first_withdrawal_on=made[0][0] if made else None,
            today=today,
            max_supply_days=p.max_supply_days,
            history=made,
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
