"""Withdrawal numbers (U + 8 digits) and joint-order numbers, from core's series."""

from __future__ import annotations

from django.db.models.expressions import RawSQL

from lmn.core import series

from ..models import NumberCounter
from .drafts import FIRST_NUMBER


def next_in_series(name: str, *, sequence: str, first: int) -> int:
    """The next value of one of this app's series (see lmn.core.series)."""
    return series.next_in_series(NumberCounter, name, sequence=sequence, first=first)


def _next_number() -> str | RawSQL:
    """U + 8 digits, unique and never reused (a gap after a rollback is fine); on
    PostgreSQL an expression for the withdrawal's INSERT (see series.numbered)."""
    return series.numbered(
        NumberCounter,
        "withdrawal",
        sequence="lmn_withdrawal_number",
        first=FIRST_NUMBER + 1,
        prefix="U",
        digits=8,
    )
