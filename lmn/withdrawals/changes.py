"""Cancelling a withdrawal, or changing its delivery details, until the distributor picks it.

Who may: customer service, and whoever may order at the unit that ordered or prescribed
(the orderer, the prescriber, the unit's staff); the patient scope (a protected person
only inside their unit) is applied by the lookup before these are reached.

Race with the distributor: both sides lock the withdrawal row and change it with a
conditional UPDATE (status still placed), so "cancel" and "picked" have exactly one
winner; the loser is refused with a stable code.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest, validate_delivery
from lmn.delivery.policy import region_policy
from lmn.delivery.rules import DeliveryPlan, plan_delivery
from lmn.patients.models import Dwelling

from .models import Withdrawal, WithdrawalEvent, WithdrawalFee
from .services import LineDraft, WithdrawalDraft, event_actor, transition
from .services.shape import _fill_address_defaults
from .states import WithdrawalStatus

REVERSAL = "reversal"
TOO_LATE = "already_picked"
CANCELLED = "withdrawal_cancelled"

# the delivery details one may change, and their names in the timeline
CHANGEABLE = {
    "destination": gettext_noop("leveranssätt"),
    "pickup_point_id": gettext_noop("utlämningsställe"),
    "street": gettext_noop("adress"),
    "postcode": gettext_noop("postnummer"),
    "city": gettext_noop("ort"),
    "care_of": gettext_noop("c/o"),
    "door_code": gettext_noop("portkod"),
    "entry_phone": gettext_noop("porttelefon"),
    "name_on_door": gettext_noop("namn på dörren"),
    "leave_outside": gettext_noop("får ställas utanför"),
    "multi_family": gettext_noop("flerfamiljshus"),
    "phone": gettext_noop("telefon"),
    "email": gettext_noop("e-post"),
    "contact_person": gettext_noop("kontaktperson"),
    "notify_by": gettext_noop("avisering"),
}


def may_change(withdrawal: Withdrawal, actor: Actor) -> bool:
    """Customer service, an ordering role at the unit that ordered or prescribed, or in the
    e-service the patient or their proxy."""
    if actor.role == Role.CUSTOMER_SERVICE:
        return True
    if actor.self_service:  # the patient, or a proxy who may order (EPAT-1, EPAT-2)
        acting_for = actor.acting_for
        own = acting_for is not None and withdrawal.patient_id == acting_for.pk
        return own and actor.role in Role.SELF_ORDERING
    if actor.role not in Role.ORDERING or actor.unit is None:
        return False
    if withdrawal.ordering_unit_id == actor.unit.pk:
        return True
    return withdrawal.lines.filter(prescription__unit=actor.unit).exists()


def _require(withdrawal: Withdrawal, actor: Actor) -> None:
    # a refusal about this withdrawal, not about the role (which may order): 422, not 403
    if not may_change(withdrawal, actor):
        raise DomainError.single(
            "not_orderer",
            "Bara den beställande eller förskrivande enheten och kundtjänst kan makulera "
            "eller ändra uttaget.",
        )


def _refused(status: str) -> DomainError:
    if status == WithdrawalStatus.CANCELLED:
        return DomainError.single(CANCELLED, "Uttaget är makulerat och kan inte ändras.", "status")
    return DomainError.single(
        TOO_LATE,
        "Uttaget är redan plockat hos distributören och kan inte längre makuleras eller "
        "ändras. Kontakta kundtjänst om leveransen behöver stoppas.",
        "status",
    )


def cancel_withdrawal(withdrawal: Withdrawal, *, actor: Actor) -> tuple[Withdrawal, bool]:
    """Cancel before picking: stock released, fees reversed, audited; (withdrawal, changed).

    Idempotent: an already cancelled withdrawal is answered as it is (changed False).
    """
    _require(withdrawal, actor)
    with transaction.atomic():
        locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if locked.status == WithdrawalStatus.CANCELLED:
            return locked, False
        if locked.status != WithdrawalStatus.PLACED:
            raise _refused(locked.status)
        fees = list(_open_fees(locked))
        # transition re-checks under the lock, updates conditionally, releases the
        # reserved stock, writes the history row and the audit event
        cancelled = transition(
            locked,
            WithdrawalStatus.CANCELLED,
            actor=actor,
            data={"fees_reversed": len(fees)},
        )
        _reverse(cancelled, fees)
    return cancelled, True


def _open_fees(withdrawal: Withdrawal, kinds: set[str] | None = None) -> Any:
    fees = withdrawal.fees.exclude(kind=REVERSAL).filter(reversal__isnull=True)
    if kinds is not None:
        fees = fees.filter(kind__in=kinds)
    return fees.select_related("payer").order_by("pk")


def _reverse(withdrawal: Withdrawal, fees: list[WithdrawalFee]) -> None:
    now = clock.now()
    for fee in fees:
        WithdrawalFee.objects.create(
            withdrawal=withdrawal,
            kind=REVERSAL,
            label=f"Återförd: {fee.label}",
            amount_sek=-fee.amount_sek,
            payer=fee.payer,
            created_at=now,
            reverses=fee,
        )


def change_delivery(
    withdrawal: Withdrawal, delivery: DeliveryRequest, *, actor: Actor
) -> tuple[Withdrawal, bool]:
    """New delivery details before picking, checked by the same rules as at ordering.

    The speed stays as ordered (it decided the stock reservation and its fee); the rules
    are applied as for the original orderer at the original time, so a change of door
    code does not move the promise. A fee the new details no longer cost is reversed and
    a new one added. Idempotent: the same details again change nothing (changed False).
    """
    _require(withdrawal, actor)
    if withdrawal.joint_order_id is not None:
        raise DomainError.single(
            "joint_order_delivery",
            "Uttaget ingår i en sambeställning och levereras med den till avdelningen; "
            "leveransuppgifterna kan inte ändras för ett enskilt uttag.",
            "delivery.destination",
        )
    if withdrawal.status != WithdrawalStatus.PLACED:
        raise _refused(withdrawal.status)
    draft, plan = _planned(withdrawal, delivery, actor)
    fields = _fields(draft.delivery, plan)
    with transaction.atomic():
        locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if locked.status != WithdrawalStatus.PLACED:
            raise _refused(locked.status)
        changed = [n for n in CHANGEABLE if getattr(locked, n) != fields[n]]
        if not changed:
            return locked, False
        if not Withdrawal.objects.filter(pk=locked.pk, status=WithdrawalStatus.PLACED).update(
            **fields
        ):
            raise _refused(WithdrawalStatus.PICKED)  # the distributor won the race
        locked.refresh_from_db()
        fees_rebooked = _rebook_fees(locked, plan)
        WithdrawalEvent.objects.create(
            withdrawal=locked,
            at=clock.now(),
            kind=WithdrawalEvent.DELIVERY_CHANGED,
            from_status=locked.status,
            to_status=locked.status,
            changed_fields=changed,
            **event_actor(actor),
        )
        record(
            "withdrawals.withdrawal.delivery_changed",
            actor=actor,
            patient=locked.patient,
            obj=locked,
            data={"fields": changed, "fees_rebooked": fees_rebooked},
        )
    return locked, True


def _planned(
    withdrawal: Withdrawal, delivery: DeliveryRequest, actor: Actor
) -> tuple[WithdrawalDraft, DeliveryPlan]:
    request = dataclasses.replace(delivery, speed=withdrawal.speed)
    lines = list(withdrawal.lines.select_related("product__area").order_by("pk"))
    draft = WithdrawalDraft(
        patient=withdrawal.patient,
        lines=[LineDraft(line.prescription_id, line.quantity) for line in lines],
        delivery=request,
    )
    _fill_address_defaults(draft, actor)
    validate_delivery(draft.delivery)
    plan = plan_delivery(
        draft.delivery,
        products=[line.product for line in lines],
        actor_role=withdrawal.ordered_by_role,
        registered_multi_family=withdrawal.patient.dwelling == Dwelling.MULTI_FAMILY,
        policy=region_policy(),
        received_at=withdrawal.placed_at,
    )
    return draft, plan


def _fields(d: DeliveryRequest, plan: DeliveryPlan) -> dict[str, Any]:
    values = {name: getattr(d, name) for name in CHANGEABLE}
    values["multi_family"] = bool(d.multi_family)
    values["notify_by"] = plan.notify_by
    return {
        **values,
        "inside_region": plan.inside_region,
        "promised_delivery_date": plan.promise.date,
        "promise_note": plan.promise.note,
        "notices": list(plan.notices),
    }


def _rebook_fees(withdrawal: Withdrawal, plan: DeliveryPlan) -> bool:
    """Reverse the plan's fees and book the new ones, if what the delivery costs changed."""
    kinds = {"emergency", "express", "nutrition_outside_region", "out_of_assortment"}
    current = list(_open_fees(withdrawal, kinds))
    if sorted((f.kind, f.amount_sek) for f in current) == sorted(
        (f.kind, f.amount) for f in plan.fees
    ):
        return False
    _reverse(withdrawal, current)
    payers = {line.product.area.code: line.payer for line in withdrawal.lines.order_by("-pk")}
    first = withdrawal.lines.select_related("payer").order_by("pk").first()
    now = clock.now()
    for fee in plan.fees:
        payer = payers.get(fee.area_code) or (first.payer if first else None)
        if payer is None:  # a withdrawal always has lines; nothing to charge otherwise
            continue
        WithdrawalFee.objects.create(
            withdrawal=withdrawal,
            kind=fee.kind,
            label=fee.label,
            amount_sek=fee.amount,
            payer=payer,
            created_at=now,
        )
    return True
