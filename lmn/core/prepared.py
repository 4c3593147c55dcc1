"""Querysets of a fixed shape, compiled to SQL once and then run with new values.

On the order path the ORM spent far longer building and compiling each read than the
database spent answering it (the prescriptions read: about 1 ms of Python against
0.1 ms in SQLite). A `Prepared` keeps, per thread and shape, the SQL and the
compiler's row layout; a call binds the new values, runs the SQL and builds the model
instances the way iterating the queryset would (select_related, annotations and the
database's converters included). Only the order path's hottest reads use it; every
other read is a plain queryset.

The shape is built by a function of keyword values, each an int, a str or a list of
ints for an `__in` filter (a list's length is part of the shape; duplicates are dropped
first, as the ORM drops them, and an empty list reads nothing, as the ORM's). It is
called once per shape with marker values that the compiled parameters are matched
against, so the function must pass its values straight into filters on integer or
text columns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# the pieces QuerySet iteration builds instances with (Django pinned in requirements.txt;
# tests in lmn/core/tests/test_prepared.py compare the results with the queryset's own)
from django.db.models.query import (  # type: ignore[attr-defined]
    ModelIterable,
    _get_from_db,
    get_related_populators,
)

Value = int | str | Sequence[int]
# markers: inside every integer column's range (Django turns a value outside it into
# an empty result rather than a parameter), and far from any id a region will reach
_FIRST_MARKER = 2_000_000_001


@dataclass
class _Plan:
    sql: str
    params: list[Any]  # compiled parameters, markers still in place
    slots: list[tuple[int, str, int | None]]  # (position, value name, index in a list)
    db: str
    compiler: Any  # compiled: applies the database's converters to the rows
    converters: dict[int, Any]
    layout: _Layout | None  # how a row becomes instances; None: rows (values_list)


@dataclass
class _Layout:
    """What QuerySet iteration works out per query, worked out once."""

    start: int
    end: int
    names: list[str]
    from_db: Callable[..., Any]
    related: list[Any]  # RelatedPopulator per select_related model
    annotations: dict[str, int]


class Prepared:
    """`Prepared(build)(**values)` is `list(build(**values))`, without compiling again."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self._build = build
        self._local = threading.local()

    def __call__(self, **values: Value) -> list[Any]:
        values = {k: list(dict.fromkeys(v)) if isinstance(v, list | tuple) else v
                  for k, v in values.items()}  # fmt: skip
        if any(v == [] for v in values.values()):
            return []
        shape = tuple(
            (name, len(v) if isinstance(v, list | tuple) else type(v).__name__)
            for name, v in sorted(values.items())
        )
        plans: dict[tuple[Any, ...], _Plan] = self._local.__dict__.setdefault("plans", {})
        plan = plans.get(shape)
        if plan is None:
            plan = plans[shape] = self._compile(shape)
        params = list(plan.params)
        for position, name, index in plan.slots:
            given = values[name]
            params[position] = given[index] if index is not None else given  # type: ignore[index]
        return self._run(plan, params)

    def _compile(self, shape: tuple[tuple[str, int | str], ...]) -> _Plan:
        numbers = count(_FIRST_MARKER)
        markers: dict[str, Value] = {}
        where: dict[int | str, tuple[str, int | None]] = {}
        for name, kind in shape:
            if isinstance(kind, int):
                markers[name] = ns = [next(numbers) for _ in range(kind)]
                where.update({n: (name, i) for i, n in enumerate(ns)})
            else:
                n = next(numbers)
                markers[name] = marker = f"\x01marker{n}" if kind == "str" else n
                where[marker] = (name, None)
        queryset = self._build(**markers)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, compiled = compiler.as_sql()
        params = list(compiled)
        slots = [
            (i, *where[p])
            for i, p in enumerate(params)
            if isinstance(p, int | str) and not isinstance(p, bool) and p in where
        ]
        if len(slots) != sum(n if isinstance(n, int) else 1 for _name, n in shape):
            raise ValueError("every value must reach the SQL as one parameter")
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
        layout = _layout(compiler, queryset) if queryset._iterable_class is ModelIterable else None
        return _Plan(sql, params, slots, queryset.db, compiler, converters, layout)

    def _run(self, plan: _Plan, params: list[Any]) -> list[Any]:
        with connections[plan.db].cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows: Any = cursor.fetchall()
        if plan.converters:
            rows = plan.compiler.apply_converters(rows, plan.converters)
        layout = plan.layout
        if layout is None:
            return [tuple(row) for row in rows]
        found = []
        for row in rows:
            obj = layout.from_db(plan.db, layout.names, row[layout.start : layout.end])
            for populator in layout.related:
                populator.populate(row, obj)
            for attr, position in layout.annotations.items():
                setattr(obj, attr, row[position])
            found.append(obj)
        return found


def _layout(compiler: Any, queryset: QuerySet[Any, Any]) -> _Layout:
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    fetch_mode = getattr(queryset, "_fetch_mode")  # noqa: B009  # as QuerySet iteration
    return _Layout(
        start=start,
        end=end,
        names=[column[0].target.attname for column in select[start:end]],
        from_db=_get_from_db(klass_info["model"], fetch_mode),
        related=get_related_populators(klass_info, select, queryset.db, fetch_mode),
        annotations=dict(compiler.annotation_col_map or {}),
    )
