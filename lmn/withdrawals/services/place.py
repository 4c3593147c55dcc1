"""Placing a withdrawal: idempotent, checked under lock, numbered, audited."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, PermissionDenied
from lmn.core.prepared import PreparedInsert
from lmn.delivery.rules import DeliveryPlan
from lmn.prescriptions.models import Prescription

from ..models import (
    JointOrder,
    Withdrawal,
    WithdrawalEvent,
    WithdrawalFee,
    WithdrawalLine,
)
from .check import _check, _Checked
from .drafts import IdempotencyConflict, WithdrawalDraft, _actor_key, event_actor
from .numbering import _next_number
from .shape import _shape_problems
from .stock import _reserve

# the order path's INSERTs, their statements' fixed parts built once (core.prepared)
_insert_withdrawal = PreparedInsert(Withdrawal)
_insert_lines = PreparedInsert(WithdrawalLine)
_insert_event = PreparedInsert(WithdrawalEvent)


def place_withdrawal(
    draft: WithdrawalDraft, *, actor: Actor, idempotency_key: str | None = None
) -> tuple[Withdrawal, bool]:
    """Place a withdrawal; returns (withdrawal, created).

    With an idempotency key, the same request again returns the first withdrawal
    (created False) and another request under the same key raises IdempotencyConflict.
    """
    if not actor.may_order:
        raise PermissionDenied("ACC-2", "Din roll får inte göra uttag.")
    fingerprint = draft.fingerprint()
    known = _shape_problems(draft, actor)
    if known:
        _check(draft, actor=actor, lock=False, known=known)  # raises, naming every problem
    idempotency = (
        {
            "idempotency_actor": _actor_key(actor),
            "idempotency_key": idempotency_key,
            "idempotency_fingerprint": fingerprint,
        }
        if idempotency_key
        else {}
    )
    try:
        with transaction.atomic():
            # the unique (actor, key) constraint on the withdrawal decides, not a read
            # beforehand: a request sent again fails on it (or on a rule it used up) and is
            # answered below from what the first one stored
            return _place(draft, actor=actor, idempotency=idempotency), True
    except (IntegrityError, DomainError):
        # the same key again (perhaps concurrently): answer as the first request did
        if idempotency_key:
            previous = _replay(actor, idempotency_key, fingerprint)
            if previous is not None:
                return previous, False
        raise


def _replay(actor: Actor, key: str, fingerprint: str) -> Withdrawal | None:
    found = Withdrawal.objects.filter(idempotency_actor=_actor_key(actor), idempotency_key=key)
    first = found.first()
    if first is None:
        return None
    if first.idempotency_fingerprint != fingerprint:
        raise IdempotencyConflict()
    return first


def _place(
    draft: WithdrawalDraft,
    *,
    actor: Actor,
    joint_order: JointOrder | None = None,
    idempotency: dict[str, str] | None = None,
) -> Withdrawal:
    """Check under lock and write one withdrawal; `joint_order` groups it (SAM-1);
    `idempotency` holds the withdrawal's idempotency columns, if placed under a key."""
    patient = draft.patient
    checked = _check(draft, actor=actor, lock=True)
    plan, now = checked.plan, checked.received_at
    if plan.reserve_stock:
        _reserve(draft, checked.prescriptions)
    withdrawal = _create(
        draft, actor=actor, plan=plan, now=now, joint_order=joint_order, **(idempotency or {})
    )
    _write_lines_and_fees(withdrawal, draft, checked)
    _insert_event(
        WithdrawalEvent(
            withdrawal=withdrawal, at=now, to_status=withdrawal.status, **event_actor(actor)
        )
    )
    record(
        "withdrawals.withdrawal.placed",
        actor=actor,
        patient=patient,
        obj=withdrawal,
        data={
            "number": withdrawal.number,
            "lines": len(draft.lines),
            **({"joint_order": joint_order.number} if joint_order else {}),
        },
    )
    return withdrawal


def _payer_for_area(
    area_code: str,
    draft: WithdrawalDraft,
    prescriptions: dict[int, Prescription],
    payers: dict[tuple[int, int], int],
) -> int:
    """A fee lands on the payer of its product area; the first line's area otherwise."""
    chosen = [prescriptions[line.prescription_id] for line in draft.lines]
    match = next((p for p in chosen if p.product.area.code == area_code), chosen[0])
    return payers[(match.unit_id, match.product.area_id)]


def _create(
    draft: WithdrawalDraft,
    *,
    actor: Actor,
    plan: DeliveryPlan,
    now: dt.datetime,
    joint_order: JointOrder | None,
    **idempotency: str,
) -> Withdrawal:
    """The withdrawal row, numbered; a joint order's promise wins over the plan's (SAM-1)."""
    d = draft.delivery
    promise = plan.promise
    withdrawal = Withdrawal(
        number=_next_number(),
        patient=draft.patient,
        ordering_unit=actor.unit,
        ordered_by=actor.user,
        ordered_by_role=actor.role,
        placed_at=now,
        destination=d.destination,
        speed=d.speed,
        street=d.street,
        postcode=d.postcode,
        city=d.city,
        care_of=d.care_of,
        door_code=d.door_code,
        entry_phone=d.entry_phone,
        name_on_door=d.name_on_door,
        leave_outside=d.leave_outside,
        multi_family=bool(d.multi_family),
        inside_region=plan.inside_region,
        phone=d.phone,
        email=d.email,
        contact_person=d.contact_person,
        contact_phone=d.contact_phone,
        notify_by=plan.notify_by,
        pickup_point_id=d.pickup_point_id,
        notices=list(plan.notices),
        promised_delivery_date=joint_order.promised_delivery_date if joint_order else promise.date,
        promise_note=joint_order.promise_note if joint_order else promise.note,
        joint_order=joint_order,
        **idempotency,
    )
    _insert_withdrawal(withdrawal)
    return withdrawal


def _write_lines_and_fees(
    withdrawal: Withdrawal, draft: WithdrawalDraft, checked: _Checked
) -> None:
    """One line per ordered prescription and one fee row per fee, each on its payer."""
    prescriptions, payers, plan, now = (
        checked.prescriptions,
        checked.payers,
        checked.plan,
        checked.received_at,
    )
    lines = [
        WithdrawalLine(
            withdrawal=withdrawal,
            prescription=prescriptions[line.prescription_id],
            product=prescriptions[line.prescription_id].product,
            quantity=line.quantity,
            reserved_quantity=line.quantity if plan.reserve_stock else 0,
            payer_id=payers[
                (
                    prescriptions[line.prescription_id].unit_id,
                    prescriptions[line.prescription_id].product.area_id,
                )
            ],
        )
        for line in draft.lines
    ]
    _insert_lines(*lines)
    fees = WithdrawalFee.objects.bulk_create(
        WithdrawalFee(
            withdrawal=withdrawal,
            kind=fee.kind,
            label=fee.label,
            amount_sek=fee.amount,
            payer_id=_payer_for_area(fee.area_code, draft, prescriptions, payers),
            created_at=now,
        )
        for fee in plan.fees
    )
    # kept on the withdrawal, so that the answer to placing is rendered from what was
    # just written
    withdrawal.placed_rows = (lines, fees)
