"""Numbering series (withdrawal numbers, joint orders, customer numbers): one mechanism.

A value is never handed out twice; a gap after a rollback is fine. PostgreSQL uses a
sequence made by the owning app's migration (`nextval` never repeats, even for concurrent
transactions, and is not rolled back). SQLite has no sequences: the owning app's counter
model (a `name` and a `value` column) is bumped with a conditional update, inside the
caller's transaction, which on SQLite is IMMEDIATE and so serialised.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.db.models.expressions import RawSQL


def next_in_series(counter: Any, name: str, *, sequence: str, first: int) -> int:
    """The next value of the series `name` (`sequence` on PostgreSQL); `first` is where it
    starts if the counter row is missing. `counter` is the app's counter model."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [sequence])
            return int(cursor.fetchone()[0])
    bumped = _bump(counter, name)
    if bumped is None:
        # the migration's row is missing (e.g. a test flush): start the series again
        counter.objects.get_or_create(name=name, defaults={"value": first - 1})
        bumped = _bump(counter, name)
    assert bumped is not None
    return bumped


def numbered(
    counter: Any, name: str, *, sequence: str, first: int, prefix: str, digits: int
) -> str | RawSQL:
    """The next number of the series as `prefix` + at least `digits` digits, as a value
    for the INSERT that uses it.

    On PostgreSQL this is an expression the INSERT itself evaluates (Django reads the
    value back with RETURNING): one round trip less on the order path. Elsewhere the
    string, from next_in_series.
    """
    if connection.vendor == "postgresql":
        sql = (
            "(SELECT %s || lpad(n::text, greatest(%s, length(n::text)), '0') FROM nextval(%s) AS n)"
        )
        # the values are parameters, never spliced into the SQL
        return RawSQL(sql, [prefix, digits, sequence], output_field=models.CharField())  # noqa: S611
    value = next_in_series(counter, name, sequence=sequence, first=first)
    return f"{prefix}{value:0{digits}d}"


def _bump(counter: Any, name: str) -> int | None:
    """Add one and read the new value in one statement (SQLite has RETURNING since 3.35)."""
    table = connection.ops.quote_name(counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET value = value + 1 WHERE name = %s RETURNING value",  # noqa: S608
            [name],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_gap_free(counter: Any, name: str, *, first: int) -> int:
    """The next value of a series that must have no gaps (invoice numbers, INV-3).

    Always the counter row, on PostgreSQL too: the UPDATE locks the row until the
    caller's transaction ends, so concurrent callers take turns, and a rollback gives the
    number back. Call it inside the transaction that writes what the number names.
    """
    bumped = _bump(counter, name)
    if bumped is None:
        counter.objects.get_or_create(name=name, defaults={"value": first - 1})
        bumped = _bump(counter, name)
    assert bumped is not None
    return bumped
