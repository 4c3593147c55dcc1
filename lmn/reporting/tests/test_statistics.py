"""LMN administration's statistics against the raw withdrawals of conftest.orders.

Over both units, March–April 2026 (W6 cancelled and W8 in May not counted):
door W1 W2 W3 W7 W9 = 5, pickup point W4 W5 = 2, to the unit 0.
Promised dates: W1 kept (06 ≤ 07), W2 missed (23 > 21), W3 never arrived and its date
has passed (missed), W4 arrived at the pickup point the day before (kept): 2 of 4.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lmn.reporting.queries.scope import Period
from lmn.reporting.queries.statistics import statistics_for
from lmn.testing import factories as f

from .conftest import Orders

PERIOD = Period(dt.date(2026, 3, 1), dt.date(2026, 4, 1))
MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)


def test_statistics_over_the_region(orders: Orders) -> None:
    stats = statistics_for(f.actor_of(f.make_admin()), PERIOD)

    assert [(d.destination, d.withdrawals, d.percent) for d in stats.destinations] == [
        ("door", 5, Decimal("71.4")),
        ("pickup_point", 2, Decimal("28.6")),
        ("unit", 0, Decimal("0.0")),
    ]
    assert [(p.month, p.promised, p.kept, p.percent) for p in stats.promises] == [
        (MARCH, 2, 1, Decimal("50.0")),
        (APRIL, 2, 1, Decimal("50.0")),
    ]
    total = stats.promises_total
    assert total is not None and (total.promised, total.kept) == (4, 2)
    assert [(m.month, m.withdrawals, m.quantity) for m in stats.by_month] == [
        (MARCH, 4, 23),  # A: 16, B: 7
        (APRIL, 3, 17),
    ]
    assert [(v.month, v.unit_number, v.area_name, v.lines, v.quantity) for v in stats.volumes] == [
        (MARCH, "602154", "Diabetes", 3, 16),
        (MARCH, "604500", "Diabetes", 1, 7),
        (APRIL, "602154", "Diabetes", 1, 3),
        (APRIL, "602154", "Inkontinens, blås- och tarmdysfunktion", 1, 2),
        (APRIL, "602154", "Nutrition", 1, 12),
    ]


def test_the_units_with_most_emergency_deliveries_come_first(orders: Orders) -> None:
    """One emergency each; B's is its only withdrawal (100 %), A's one of six."""
    stats = statistics_for(f.actor_of(f.make_admin()), PERIOD)

    assert [
        (u.unit_number, u.emergency, u.withdrawals, u.percent) for u in stats.emergency_by_unit
    ] == [
        ("604500", 1, 1, Decimal("100.0")),
        ("602154", 1, 6, Decimal("16.7")),
    ]


def test_statistics_are_for_administration_only(orders: Orders) -> None:
    stats = statistics_for(f.actor_of(orders.world.customer_service), PERIOD)
    assert stats.volumes == [] and stats.emergency_by_unit == []
