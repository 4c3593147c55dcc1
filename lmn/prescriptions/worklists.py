"""Work lists for a prescriber ("mine") and their unit ("unit"): what needs action.

- expiring: active prescriptions that expire within 30 days, or have expired while the
  patient still withdraws against them (a withdrawal within the last supply period);
- overdue: active prescriptions whose withdrawals so far ran out long ago against the
  consumption (the patient may be going without);
- changed by others: versions in the last 30 days written by someone else.

Queries only; each row links to the action (renew, change, history).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet, Sum

from lmn.audit.services import Shown, record_many
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.patients.queries import visible_patient_q

from .entitlement import coverage, covered_by
from .lifecycle import RENEW_WITHIN_DAYS
from .models import Prescription, PrescriptionVersion
from .states import PrescriptionStatus

MINE, UNIT = "mine", "unit"
RECENT_DAYS = 30
# a patient whose withdrawals ran out this many days ago is shown as overdue
OVERDUE_DAYS = 14
# withdrawals stop counting as "still being made" this long after expiry
EXPIRED_IN_USE_DAYS = 90
_NOT_COUNTING = ["cancelled"]  # lmn.withdrawals.states.NOT_COUNTING (an app above this one)


def _scoped(actor: Actor, scope: str) -> QuerySet[Prescription]:
    qs = Prescription.objects.filter(visible_patient_q(actor, "patient__"))
    if actor.unit is None:
        return qs.none()
    qs = qs.filter(unit=actor.unit)
    if scope == MINE:
        qs = qs.filter(prescriber=actor.user)
    return qs.select_related("product__area", "patient", "unit", "prescriber")


def expiring(
    actor: Actor, scope: str = MINE, *, today: dt.date | None = None
) -> list[Prescription]:
    today = today or clock.today()
    soon = today + dt.timedelta(days=RENEW_WITHIN_DAYS)
    in_use_since = clock.now() - dt.timedelta(days=EXPIRED_IN_USE_DAYS)
    counted = ~Q(withdrawal_lines__withdrawal__status__in=_NOT_COUNTING)
    rows = (
        _scoped(actor, scope)
        .filter(status=PrescriptionStatus.ACTIVE, valid_until__lte=soon)
        .annotate(last_withdrawal=Max("withdrawal_lines__withdrawal__placed_at", filter=counted))
        .filter(
            Q(valid_until__gte=today)
            | Q(
                valid_until__gte=today - dt.timedelta(days=EXPIRED_IN_USE_DAYS),
                last_withdrawal__gte=in_use_since,
            )
        )
        .order_by("valid_until", "pk")
    )
    return list(rows)


@dataclass(frozen=True)
class Overdue:
    prescription: Prescription
    covered_until: dt.date


def overdue(actor: Actor, scope: str = MINE, *, today: dt.date | None = None) -> list[Overdue]:
    today = today or clock.today()
    candidates = {
        p.pk: p
        for p in _scoped(actor, scope)
        .filter(
            status=PrescriptionStatus.ACTIVE,
            valid_until__gte=today,
            withdrawal_lines__isnull=False,
        )
        .distinct()
    }
    history: dict[int, list[tuple[dt.date, int]]] = {}
    counted = ~Q(withdrawal_lines__withdrawal__status__in=_NOT_COUNTING)
    rows = (
        Prescription.objects.filter(pk__in=candidates)
        .values_list("pk", "withdrawal_lines__withdrawal__placed_at")
        .annotate(quantity=Sum("withdrawal_lines__quantity", filter=counted))
        .order_by("withdrawal_lines__withdrawal__placed_at")
    )
    for pk, placed_at, quantity in rows:
        if not quantity:
            continue  # a cancelled withdrawal does not count
        day = placed_at.astimezone(clock.STOCKHOLM).date()
        history.setdefault(pk, []).append((day, quantity))
    late = today - dt.timedelta(days=OVERDUE_DAYS)
    found = []
    for pk, made in history.items():
        p = candidates[pk]
        # the same coverage entitlement counts: after a gap, from the withdrawal's own day
        until = covered_by(coverage(made, p.rates()), made[0][0], p.rates())
        if until < late:
            found.append(Overdue(p, until))
    return sorted(found, key=lambda o: (o.covered_until, o.prescription.pk))


def changed_by_others(
    actor: Actor, scope: str = MINE, *, today: dt.date | None = None
) -> list[PrescriptionVersion]:
    since = clock.now() - dt.timedelta(days=RECENT_DAYS)
    prescriptions = Prescription.objects.filter(visible_patient_q(actor, "patient__"))
    if actor.unit is None:
        return []
    if scope == MINE:
        prescriptions = prescriptions.filter(prescriber=actor.user)
    else:
        prescriptions = prescriptions.filter(unit=actor.unit)
    rows = (
        PrescriptionVersion.objects.filter(
            prescription__in=prescriptions, number__gt=1, changed_at__gte=since
        )
        .exclude(changed_by=actor.user)
        .select_related("prescription__product", "prescription__patient", "changed_by", "unit")
        .order_by("-changed_at", "-pk")
    )
    if scope == UNIT:
        # for the unit, "others" are those outside it (another unit, the system)
        rows = rows.exclude(changed_by__memberships__unit=actor.unit)
    return list(rows)


@dataclass(frozen=True)
class WorkLists:
    expiring: list[Prescription]
    overdue: list[Overdue]
    changed_by_others: list[PrescriptionVersion]


def work_lists(actor: Actor, scope: str = MINE, *, channel: str = "") -> WorkLists:
    """All three lists, the read audited once per prescription shown (one insert)."""
    lists = WorkLists(
        expiring(actor, scope), overdue(actor, scope), changed_by_others(actor, scope)
    )
    shown = {p.pk: p for p in lists.expiring}
    shown.update({o.prescription.pk: o.prescription for o in lists.overdue})
    shown.update({v.prescription.pk: v.prescription for v in lists.changed_by_others})
    record_many(
        "prescriptions.worklist.read",
        [Shown(patient=p.patient, obj=p, data={"scope": scope}) for p in shown.values()],
        actor=actor,
        channel=channel,
    )
    return lists
