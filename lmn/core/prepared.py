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
text columns (one value may feed several, as in the branches of a union).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.constants import OnConflict

# the pieces QuerySet iteration builds instances with (Django pinned in requirements.txt;
# tests in lmn/core/tests/test_prepared.py compare the results with the queryset's own)
from django.db.models.query import (  # type: ignore[attr-defined]
    ModelIterable,
    _get_from_db,
    get_related_populators,
)
from django.db.models.sql import InsertQuery

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
        wanted = {(name, i) for name, n in shape
                  for i in (range(n) if isinstance(n, int) else [None])}  # fmt: skip
        if {(name, i) for _position, name, i in slots} != wanted:
            raise ValueError("every value must reach the SQL as a parameter")
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


class PreparedInsert:
    """INSERTs of new rows of one model, written as save() (or bulk_create) writes them,
    with the statement's fixed parts (table, columns, RETURNING) built once per thread.

    On the order path save() spent more time per INSERT than the database did. What it
    does per row is kept, through the ORM's own insert compiler: each field's pre_save
    and get_db_prep_save, an expression value compiled in place (the withdrawal's
    number on PostgreSQL), the returned primary key set on the instance. No signals are
    sent: the models it is used for have no receivers. A model whose fields have
    database defaults, or that returns more than its key, is refused.
    """

    def __init__(self, model: type[Model], *, skip_conflict: bool = False) -> None:
        """`skip_conflict`: a row that would break a unique constraint is not written
        (ON CONFLICT DO NOTHING, INSERT OR IGNORE on SQLite) and its instance keeps no
        key; one row per call then, so that what was written is known."""
        self._model = model
        self._skip = skip_conflict
        self._local = threading.local()

    def __call__(self, *objs: Model) -> int:
        """Write the rows; the number written."""
        if not objs:
            return 0
        if self._skip and len(objs) > 1:
            raise ValueError("skip_conflict writes one row per call")
        using = router.db_for_write(self._model)
        parts = self._local.__dict__.get(using) or self._parts(using)
        compiler, fields, head, suffix, returning = parts
        rows, params = [], []
        returned_too: dict[Any, None] = {}  # fields given an expression: read back, as save()
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
            placeholders = []
            for field in fields:
                value = compiler.pre_save_val(field, obj)
                if hasattr(value, "resolve_expression"):
                    returned_too[field] = None
                sql, values = compiler.field_as_sql(
                    field, None, compiler.prepare_value(field, value)
                )
                placeholders.append(sql)
                params.extend(values)
            rows.append(f"({', '.join(placeholders)})")
        reading = [*returning, *returned_too]
        tail, _params = connections[using].ops.returning_columns(reading)
        with connections[using].cursor() as cursor:
            cursor.execute(f"{head}{', '.join(rows)}{suffix} {tail}", params)
            returned: Any = cursor.fetchall()
        if not returned and self._skip:
            return 0
        converters = compiler.get_converters([f.get_col(f.model._meta.db_table) for f in reading])
        if converters:
            returned = list(compiler.apply_converters(returned, converters))
        for obj, row in zip(objs, returned, strict=True):
            for field, value in zip(reading, row, strict=True):
                setattr(obj, field.attname, value)
            obj._state.adding = False
            obj._state.db = using
        return len(objs)

    def _parts(self, using: str) -> tuple[Any, list[Any], str, str, list[Any]]:
        meta = self._model._meta
        fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
        returning = list(meta.db_returning_fields)
        if any(f.has_db_default() or f.generated for f in fields) or returning != [meta.pk]:
            raise ValueError(f"{meta.label}: use save() (database defaults or more returned)")
        connection = connections[using]
        query = InsertQuery(self._model)
        query.insert_values(fields, [], raw=False)
        compiler = query.get_compiler(using=using)
        quote = connection.ops.quote_name
        # names from the model's own metadata, quoted; every value is a parameter
        conflict = OnConflict.IGNORE if self._skip else None
        head = (
            f"{connection.ops.insert_statement(on_conflict=conflict)} {quote(meta.db_table)} "
            f"({', '.join(quote(str(f.column)) for f in fields)}) VALUES "
        )
        suffix = connection.ops.on_conflict_suffix_sql(fields, conflict, None, None) or ""
        parts = (compiler, fields, head, f" {suffix}" if suffix else "", returning)
        self._local.__dict__[using] = parts
        return parts
