"""Every rule a withdrawal must pass, checked together; the preview shown before placing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from lmn.catalog.units import quantity_text
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound, PermissionDenied, Problem
from lmn.core.prepared import Prepared
from lmn.delivery.details import Destination, Speed
from lmn.delivery.models import RegionPolicy
from lmn.delivery.policy import region_policy
from lmn.delivery.rules import DeliveryPlan, plan_delivery
from lmn.organisations.models import UnitPayer
from lmn.patients.models import Dwelling
from lmn.patients.queries import patients_visible_to
from lmn.prescriptions.entitlement import Entitlement
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.queries import in_care_scope

from ..permissions import area_problems, express_problems, self_service_problems
from ..queries import entitlements_for
from .drafts import LineDraft, WithdrawalDraft, is_child
from .shape import _shape_problems
from .stock import _stock_problems

_payer_of_area = UnitPayer.objects.filter(
    unit_id=OuterRef("unit_id"), product_area_id=OuterRef("product__area_id")
)


def _ordered_prescriptions(ids: list[int], patient: int) -> QuerySet[Any, Any]:
    return (
        Prescription.objects.select_related("product__area", "unit")
        .filter(pk__in=ids, patient_id=patient)
        # the unit's payer for the product's area (UNIT-2), read in the same query
        .annotate(area_payer_id=Subquery(_payer_of_area.values("payer_id")[:1]))
        .order_by("pk")
    )


# the prescriptions' rows only are locked: locking the joined product, area and unit rows
# too made every order of one product (or from one unit) wait for the one before (stock
# is guarded by its own conditional UPDATE, see _reserve). Locked in pk order, so two
# orders never deadlock.
_prescriptions_locked = Prepared(
    lambda ids, patient: _ordered_prescriptions(ids, patient).select_for_update(of=("self",))
)
_prescriptions = Prepared(_ordered_prescriptions)


@dataclass
class _Checked:
    prescriptions: dict[int, Prescription]
    payers: dict[tuple[int, int], int]  # (unit, product area) -> the payer's id
    plan: DeliveryPlan
    received_at: dt.datetime


def _check(
    draft: WithdrawalDraft, *, actor: Actor, lock: bool, known: Sequence[Problem] = ()
) -> _Checked:
    """Every rule a withdrawal must pass, all problems reported together; writes nothing.

    `known` are problems already found in the input's shape: the rules are still
    checked on what can be checked, and every problem is raised in one DomainError.
    With `lock`, the prescriptions are locked (in pk order, so two orders never
    deadlock) so that two concurrent withdrawals cannot both pass GEN-3.
    """
    patient = draft.patient
    _require_own_patient(draft, actor)
    ids = sorted(line.prescription_id for line in draft.lines)
    read = _prescriptions_locked if lock else _prescriptions
    locked = in_care_scope(read(ids=ids, patient=patient.pk), actor)
    prescriptions: dict[int, Prescription] = {p.pk: p for p in locked}
    # (unit, product area) -> the payer's id
    payers = {
        (p.unit_id, p.product.area_id): payer
        for p in locked
        if (payer := getattr(p, "area_payer_id", None))  # annotated by the read
    }
    problems: list[Problem] = list(known)
    for i, line in enumerate(draft.lines):
        if line.prescription_id not in prescriptions:
            problems.append(
                Problem(
                    "prescription_not_found",
                    "Förskrivningen finns inte för den här patienten.",
                    f"lines[{i}].prescription_id",
                )
            )
    found = [(i, ln) for i, ln in enumerate(draft.lines) if ln.prescription_id in prescriptions]
    flagged = {p.field for p in problems if p.field}  # one message per field is enough
    problems += _line_problems(found, prescriptions, payers, flagged)
    chosen = [(i, prescriptions[line.prescription_id]) for i, line in found]
    problems.extend(area_problems(chosen, actor=actor))
    problems.extend(self_service_problems(draft.delivery, actor=actor))
    policy = region_policy()
    if draft.delivery.speed == Speed.EXPRESS and actor.role in policy.express_roles:
        problems.extend(express_problems([p for _i, p in chosen], actor=actor))
    now = clock.now()
    plan, refused = _plan(draft, [p for _i, p in chosen], actor=actor, policy=policy, now=now)
    problems.extend(p for p in refused if p.field not in flagged)
    if plan is not None and plan.reserve_stock and len(found) == len(draft.lines):
        # the preview sees what placing would refuse; placing still reserves under its guard
        problems.extend(_stock_problems(draft, prescriptions))
    if problems or plan is None:
        raise DomainError(*problems)
    return _Checked(prescriptions, payers, plan, now)


def _require_own_patient(draft: WithdrawalDraft, actor: Actor) -> None:
    """In the e-service, only the patient acted for, while they may use it (EPAT-1,
    EPAT-2); anyone else answers like a missing patient (an id changed in a URL or body)."""
    if not actor.self_service:
        return
    acting_for = actor.acting_for
    if acting_for is None or draft.patient.pk != acting_for.pk:
        raise NotFound()
    if not patients_visible_to(actor).filter(pk=acting_for.pk).exists():
        raise NotFound()


def _line_problems(
    found: list[tuple[int, LineDraft]],
    prescriptions: dict[int, Prescription],
    payers: dict[tuple[int, int], int],
    flagged: set[str],
) -> list[Problem]:
    """Per line: the entitlement allows the quantity (GEN-3, SKYDD-3), and the unit has a
    payer for the product area (UNIT-2). A field already flagged gets no second message."""
    problems: list[Problem] = []
    entitlements = entitlements_for(prescriptions.values())
    for i, line in found:
        p = prescriptions[line.prescription_id]
        ent = entitlements[p.pk]
        if line.quantity > ent.withdrawable_now and f"lines[{i}].quantity" not in flagged:
            if ent.reason == "single_withdrawal_used":
                problems.append(
                    Problem(
                        "SKYDD-3",
                        "Förskrivningen till person med skyddade personuppgifter medger ett "
                        "uttag, och det är gjort. Gör ett nytt ärende för en ny förskrivning.",
                        f"lines[{i}].quantity",
                    )
                )
            else:
                problems.append(Problem("GEN-3", _refusal_text(ent, p), f"lines[{i}].quantity"))
        if (p.unit_id, p.product.area_id) not in payers:
            problems.append(
                Problem(
                    "UNIT-2",
                    f"Förskrivande enhet saknar betalare för {p.product.area.name}. "
                    "Kontakta LMN-administrationen.",
                    f"lines[{i}].prescription_id",
                )
            )
    return problems


def _plan(
    draft: WithdrawalDraft,
    products_of: list[Prescription],
    *,
    actor: Actor,
    policy: RegionPolicy,
    now: dt.datetime,
) -> tuple[DeliveryPlan | None, list[Problem]]:
    """The delivery rules' plan, or their problems. The rules are pure: what they need
    from the database (the patient's dwelling and age) is read here."""
    d = draft.delivery
    # the rules need a known destination and speed; a bad one is already a problem
    if d.destination not in Destination.ALL or d.speed not in Speed.ALL:
        return None, []
    patient = draft.patient
    try:
        plan = plan_delivery(
            d,
            products=[p.product for p in products_of],
            actor_role=actor.role,
            registered_multi_family=patient.dwelling == Dwelling.MULTI_FAMILY,
            policy=policy,
            received_at=now,
            patient_is_child=is_child(patient, on=now.astimezone(clock.STOCKHOLM).date()),
        )
    except DomainError as refused:
        return None, list(refused.problems)
    return plan, []


def preview_withdrawal(draft: WithdrawalDraft, *, actor: Actor) -> DeliveryPlan:
    """What placing would promise and cost, and what the orderer must know (no writes).

    Shown before the order is confirmed; raises DomainError like placing would.
    """
    if not actor.may_order:
        raise PermissionDenied("ACC-2", "Din roll får inte göra uttag.")
    known = _shape_problems(draft, actor)
    return _check(draft, actor=actor, lock=False, known=known).plan


def _refusal_text(ent: Entitlement, p: Prescription) -> str:
    unit = p.product.ordering_unit
    if ent.withdrawable_now > 0:
        most = quantity_text(ent.withdrawable_now, unit)
        return f"Högst {most} kan tas ut nu på den här förskrivningen."
    if ent.next_possible_date is not None:
        return (
            "Förskrivningen räcker inte till fler uttag just nu. Nästa uttag är möjligt "
            f"från {ent.next_possible_date.isoformat()}."
        )
    return (
        "Förskrivningen medger inga fler uttag (den har gått ut, avslutats eller tagits ut helt)."
    )
