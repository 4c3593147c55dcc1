"""The unit's own view of its withdrawals for protected persons (SKYDD-8, SKYDD-9)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.core.errors import DomainError

from .models import Withdrawal

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
