"""Withdrawals for protected persons: the unit's own view (SKYDD-8, SKYDD-9), and the hold
on open withdrawals of a patient the register newly protects (SKYDD-7, SKYDD-5)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, PermissionDenied
from lmn.delivery.details import Destination

from .models import Withdrawal
from .services import transition
from .states import WithdrawalStatus

_CUSTOMER_NUMBER = re.compile(r"^\s*([0-9]{6})\s*$", re.ASCII)


@dataclass(frozen=True)
class ProtectedWithdrawalRow:
    number: str  # first: what the prescriber documents in the journal (SKYDD-8)
    placed_at: dt.datetime
    status: str
    status_label: str
    products: list[str]
    prescriber: str


def looks_like_customer_number(raw: object) -> bool:
    return isinstance(raw, str) and _CUSTOMER_NUMBER.match(raw) is not None


def protected_withdrawals_of_unit(raw_customer_number: str, *, actor: Actor) -> list[Withdrawal]:
    """The patient search field with the unit's customer number instead of a personnummer
    (SKYDD-9): the unit's withdrawals for protected persons, newest first.

    Only the actor's own unit answers; another unit's number lists nothing, exactly as a
    unit without such withdrawals does (SKYDD-1). The search is audited.
    """
    match = _CUSTOMER_NUMBER.match(raw_customer_number or "")
    if match is None:
        raise DomainError.single(
            "invalid_customer_number", "Kundnumret ska vara sex siffror.", "identifier"
        )
    own = actor.unit is not None and actor.unit.customer_number == match.group(1)
    found: list[Withdrawal] = []
    if own:
        found = list(
            Withdrawal.objects.filter(patient__protected=True, patient__protected_unit=actor.unit)
            .prefetch_related("lines__product", "lines__prescription__prescriber")
            .order_by("-placed_at", "-pk")
        )
    record(
        "withdrawals.protected.searched",
        actor=actor,
        outcome="ok" if found else "not_found",
        data={"hits": len(found)},
    )
    return found


def protected_rows(withdrawals: list[Withdrawal]) -> list[ProtectedWithdrawalRow]:
    """Rows for the table, withdrawal number first; nothing about the patient."""
    rows = []
    for w in withdrawals:
        lines = list(w.lines.all())
        rows.append(
            ProtectedWithdrawalRow(
                number=w.number,
                placed_at=w.placed_at,
                status=w.status,
                status_label=w.get_status_display(),
                products=[f"{line.quantity} × {line.product.name}" for line in lines],
                prescriber=lines[0].prescription.prescriber.display_name if lines else "",
            )
        )
    return rows


# --- a patient the register newly protects (SKYDD-7) -------------------------------------

# not yet handed to the carrier: still ours to hold
HOLDABLE = (WithdrawalStatus.PLACED, WithdrawalStatus.PICKED)


def hold_newly_protected(*, actor: Actor) -> list[Withdrawal]:
    """Hold the open withdrawals of patients the register sync has locked (protected, no
    unit: SKYDD-7). The distributor sees nothing of a held withdrawal (withdrawals_to_ship)
    until customer service records how the unit wants it delivered (SKYDD-5).

    Runs over every locked patient, not only those locked in this run, so a crash between
    the lock and the hold is made good by the next run. Idempotent.
    """
    candidates = Withdrawal.objects.filter(
        patient__protected=True,
        patient__protected_unit__isnull=True,
        status__in=HOLDABLE,
        held_at__isnull=True,
    ).order_by("pk")
    held = []
    for w in candidates.select_related("patient"):
        with transaction.atomic():
            # conditional: a concurrent run holds each withdrawal once, and audits it once
            if Withdrawal.objects.filter(pk=w.pk, status__in=HOLDABLE, held_at__isnull=True).update(
                held_at=clock.now()
            ):
                record("withdrawals.withdrawal.held", actor=actor, patient=w.patient, obj=w)
                held.append(w)
    return held


def _held(withdrawal: Withdrawal, actor: Actor) -> Withdrawal:
    if actor.role != Role.CUSTOMER_SERVICE:
        raise PermissionDenied(
            "customer_service_only", "Bara kundtjänst beslutar om vilande uttag."
        )
    current = Withdrawal.objects.select_related("patient").get(pk=withdrawal.pk)
    if not current.is_held or current.status not in HOLDABLE:
        raise DomainError.single(
            "not_held", "Uttaget väntar inte på något beslut om leverans.", "withdrawal"
        )
    return current


def deliver_held_to_unit(withdrawal: Withdrawal, *, care_of: str, actor: Actor) -> Withdrawal:
    """The unit's decision, recorded by customer service: deliver to the prescribing unit,
    c/o the person responsible there (SKYDD-5), with the prescriber as contact (SKYDD-4).
    Nothing of the patient's own delivery details is left for the distributor to see."""
    current = _held(withdrawal, actor)
    if not care_of.strip():
        raise DomainError.single(
            "SKYDD-5", "Ange c/o: namnet på den som ansvarar för leveransen på enheten.", "care_of"
        )
    line = current.lines.select_related("prescription__unit", "prescription__prescriber").first()
    if line is None:
        raise DomainError.single("not_held", "Uttaget saknar rader.", "withdrawal")
    unit, prescriber = line.prescription.unit, line.prescription.prescriber
    with transaction.atomic():
        updated = Withdrawal.objects.filter(
            pk=current.pk, released_at__isnull=True, status__in=HOLDABLE
        ).update(
            released_at=clock.now(),
            destination=Destination.UNIT,
            street=unit.street,
            postcode=unit.postcode,
            city=unit.city,
            care_of=care_of.strip()[:100],
            door_code="",
            entry_phone=False,
            name_on_door=False,
            leave_outside=False,
            multi_family=False,
            phone=prescriber.phone,
            email=prescriber.email,
            contact_person="",
            notify_by="",
            pickup_point_id="",
        )
        if updated != 1:
            raise DomainError.single("concurrent_change", "Uttaget ändrades samtidigt.")
        record(
            "withdrawals.withdrawal.released",
            actor=actor,
            patient=current.patient,
            obj=current,
            data={"destination": Destination.UNIT, "unit": unit.customer_number},
        )
    current.refresh_from_db()
    return current


def cancel_held(withdrawal: Withdrawal, *, actor: Actor) -> Withdrawal:
    """The unit's decision, recorded by customer service: the parcel is not to be sent.
    Only before picking (a picked parcel goes to the unit instead); stock is released."""
    current = _held(withdrawal, actor)
    if current.status != WithdrawalStatus.PLACED:
        raise DomainError.single(
            "already_picked",
            "Uttaget är redan plockat och kan inte makuleras: välj leverans till enheten.",
            "decision",
        )
    return transition(
        current,
        WithdrawalStatus.CANCELLED,
        actor=actor,
        changes={"released_at": clock.now()},
        data={"held": True},
    )
