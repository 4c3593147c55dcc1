"""Withdrawals written straight as rows, so invoicing tests say exactly what was ordered
when, without the ordering rules in the way (those are the withdrawals app's tests)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from lmn.core import clock
from lmn.organisations.models import Payer, PrescribingUnit, UnitPayer
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal, WithdrawalFee, WithdrawalLine

_numbers = itertools.count(90_000_001)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment in Swedish time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=clock.STOCKHOLM)


def payer_of(unit: PrescribingUnit, area_code: str) -> Payer:
    """The unit's payer for the area (UNIT-2)."""
    return (
        UnitPayer.objects.select_related("payer").get(unit=unit, product_area__code=area_code).payer
    )


def withdrawal(
    *,
    unit: PrescribingUnit,
    patient: Any,
    prescriber: Any,
    placed_at: dt.datetime,
    lines: list[tuple[Any, int]],
    fees: list[tuple[str, str]] = (),  # type: ignore[assignment]
    status: str = "delivered",
) -> Withdrawal:
    w = Withdrawal.objects.create(
        number=f"U{next(_numbers)}", patient=patient, ordering_unit=unit, ordered_by=prescriber,
        ordered_by_role="forskrivare", status=status, placed_at=placed_at, destination="door",
        speed="standard", street="Storgatan 1", postcode="41301", city="Göteborg",
    )  # fmt: skip
    for product, quantity in lines:
        prescription = f.make_prescription(
            patient=patient, product=product, prescriber=prescriber, unit=unit
        )
        WithdrawalLine.objects.create(
            withdrawal=w, prescription=prescription, product=product, quantity=quantity,
            payer=payer_of(unit, product.area.code),
        )  # fmt: skip
    first_area = lines[0][0].area.code
    for kind, amount in fees:
        WithdrawalFee.objects.create(
            withdrawal=w, kind=kind, label=kind.capitalize(), amount_sek=Decimal(amount),
            payer=payer_of(unit, first_area), created_at=placed_at,
        )  # fmt: skip
    return w
