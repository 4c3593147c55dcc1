"""Withdrawal numbers (U + 8 digits) and the numbering series behind them."""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from ..models import (
    NumberCounter,
)
from .drafts import FIRST_NUMBER


def next_in_series(name: str, *, sequence: str, first: int) -> int:
    """The next value of a numbering series; never handed out twice (a gap is fine).

    PostgreSQL: a sequence made by a migration. SQLite: a counter row bumped with a
    conditional update inside the caller's (IMMEDIATE, so serialised) transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [sequence])
            return int(cursor.fetchone()[0])
    if not NumberCounter.objects.filter(name=name).update(value=F("value") + 1):
        # the migration's row is missing (e.g. a test flush): start the series again
        NumberCounter.objects.get_or_create(name=name, defaults={"value": first - 1})
        NumberCounter.objects.filter(name=name).update(value=F("value") + 1)
    return NumberCounter.objects.get(name=name).value


def _next_number() -> str:
    """U + 8 digits, unique and never reused (a gap after a rollback is fine)."""
    value = next_in_series("withdrawal", sequence="lmn_withdrawal_number", first=FIRST_NUMBER + 1)
    return f"U{value:08d}"
