"""The dashboard's figures against the raw withdrawals of conftest.orders, by hand.

Unit A (602154), March–April 2026, cancelled W6 and May's W8 not counted:
    W1 03-05 standard door    diabetes 10
    W2 03-20 emergency door   diabetes 5    fee emergency 150.00
    W3 04-02 express door     nutrition 12  fee express 250.00   (paid by the shared payer)
    W4 04-10 pickup, returned diabetes 3    fee return 95.00
    W5 04-15 pickup, collected OOA 2        fee out_of_assortment 200.00
    W7 03-01 00:30 (Sweden)   diabetes 1
Unit B (604500): W9 03-10 emergency, diabetes 7, fee 150.00 (paid by the shared payer).
Prices: 100.00 each; diabetes 120.00 from 1 April (INV-1: the price of the day ordered).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lmn.audit.models import AuditEvent
from lmn.core.errors import NotFound
from lmn.reporting.queries.dashboard import dashboard_for
from lmn.reporting.queries.drilldown import Figure, withdrawals_behind
from lmn.reporting.queries.scope import Period
from lmn.testing import factories as f

from .conftest import Orders

PERIOD = Period(dt.date(2026, 3, 1), dt.date(2026, 4, 1))
MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)


@pytest.mark.rule("INV-1")
def test_the_unit_dashboard_counts_what_the_unit_ordered(orders: Orders) -> None:
    board = dashboard_for(f.actor_of(orders.head_a), PERIOD)

    assert [(m.month, m.withdrawals, m.lines, m.quantity) for m in board.by_month] == [
        (MARCH, 3, 3, 16),  # W1 10 + W2 5 + W7 1 (ordered at 00:30 on 1 March)
        (APRIL, 3, 3, 17),  # W3 12 + W4 3 + W5 2; the cancelled W6 not counted
    ]
    # March: 16 × 100; April: 3 × 120 + 2 × 100 + 12 × 100. Fees: March 150;
    # April 250 + 95 + 200 (W6's 150 and its reversal net to 0)
    assert [(m.cost, m.fees, m.total) for m in board.by_month] == [
        (Decimal("1600.00"), Decimal("150.00"), Decimal("1750.00")),
        (Decimal("1760.00"), Decimal("545.00"), Decimal("2305.00")),
    ]
    assert [(r.month, r.area_code, r.lines, r.quantity, r.cost) for r in board.by_month_area] == [
        (MARCH, "diabetes", 3, 16, Decimal("1600.00")),
        (APRIL, "diabetes", 1, 3, Decimal("360.00")),
        (APRIL, "incontinence", 1, 2, Decimal("200.00")),
        (APRIL, "nutrition", 1, 12, Decimal("1200.00")),
    ]
    # 1 of 6 withdrawals each; the cancelled emergency's fee is reversed, so 150 not 300
    assert (board.emergency.count, board.emergency.total) == (1, 6)
    assert board.emergency.percent == Decimal("16.7")
    assert board.emergency.fees == Decimal("150.00")
    assert (board.express.count, board.express.total, board.express.fees) == (
        1,
        6,
        Decimal("250.00"),
    )
    # PICK-4: one of the two parcels to a pickup point went back
    assert (board.pickup_returns.count, board.pickup_returns.total) == (1, 2)
    assert board.pickup_returns.percent == Decimal("50.0")
    assert board.pickup_returns.fees == Decimal("95.00")
    # OOA-6: one line of six, and its extra cost
    assert (board.out_of_assortment.count, board.out_of_assortment.total) == (1, 6)
    assert board.out_of_assortment.fees == Decimal("200.00")
    assert [(a.name, a.lines, a.quantity, a.cost) for a in board.top_articles] == [
        ("Testremsor Glukos", 4, 19, Decimal("1960.00")),
        ("Näringsdryck Choklad", 1, 12, Decimal("1200.00")),
        ("Specialskydd XL", 1, 2, Decimal("200.00")),
    ]


@pytest.mark.rule("UNIT-1")
@pytest.mark.rule("UNIT-2")
def test_the_payer_dashboard_counts_what_the_payer_pays_in_every_unit(
    orders: Orders, payer_contact: Any
) -> None:
    """The shared payer pays unit A's nutrition (W3) and unit B's diabetes (W9)."""
    board = dashboard_for(f.actor_of(payer_contact), PERIOD)

    assert [(m.month, m.withdrawals, m.quantity, m.cost, m.fees) for m in board.by_month] == [
        (MARCH, 1, 7, Decimal("700.00"), Decimal("150.00")),  # B's diabetes
        (APRIL, 1, 12, Decimal("1200.00"), Decimal("250.00")),  # A's nutrition, express
    ]
    assert (board.emergency.count, board.emergency.total, board.emergency.fees) == (
        1,
        2,
        Decimal("150.00"),
    )
    assert board.express.fees == Decimal("250.00")
    assert board.pickup_returns.total == 0 and board.pickup_returns.percent is None
    assert board.out_of_assortment.fees == Decimal("0.00")


def test_other_roles_see_no_figures(orders: Orders) -> None:
    board = dashboard_for(f.actor_of(orders.world.prescriber), PERIOD)
    assert sum(m.withdrawals for m in board.by_month) == 0


@pytest.mark.rule("SKYDD-1")
def test_a_drill_down_names_only_the_units_own_patients_and_is_audited(orders: Orders) -> None:
    protected = f.make_patient(
        f.PERSONNUMMER[5], protected=True, protected_unit=orders.world.other_unit
    )
    from .builders import Raw, at, build

    elsewhere = build(
        Raw(
            orders.world.unit,
            protected,
            at("2026-03-25"),
            [(orders.world.diabetes_product, 1)],
            speed="emergency",
        ),
        orders.world.doctor,
    )
    head = f.actor_of(orders.head_a)
    before = AuditEvent.objects.filter(action="reporting.drilldown.read").count()

    drill = withdrawals_behind(head, PERIOD, Figure("emergency"))

    by_number = {r.withdrawal.number: r.patient for r in drill.rows}
    assert set(by_number) == {orders.by_name["W2"].number, elsewhere.number}  # not B's W9
    assert by_number[orders.by_name["W2"].number] == orders.world.patient
    assert by_number[elsewhere.number] is None  # protected in another unit (SKYDD-1)
    shown = AuditEvent.objects.filter(action="reporting.drilldown.read")
    assert shown.count() == before + 1
    assert shown.latest("pk").patient_id == orders.world.patient.pk


def test_the_head_of_another_unit_does_not_see_the_units_withdrawals(orders: Orders) -> None:
    drill = withdrawals_behind(f.actor_of(orders.head_b), PERIOD, Figure("emergency"))
    assert [r.withdrawal.number for r in drill.rows] == [orders.by_name["W9"].number]
    assert drill.rows[0].patient == orders.by_name["W9"].patient  # B's own patient


def test_the_payer_drills_down_to_withdrawals_without_patients(
    orders: Orders, payer_contact: Any
) -> None:
    drill = withdrawals_behind(
        f.actor_of(payer_contact), PERIOD, Figure("month", month=APRIL, area_code="nutrition")
    )
    assert [(r.withdrawal.number, r.patient) for r in drill.rows] == [
        (orders.by_name["W3"].number, None)
    ]


def test_each_figure_drills_down_to_the_withdrawals_it_counts(orders: Orders) -> None:
    head = f.actor_of(orders.head_a)
    n = orders.by_name

    def numbers(figure: Figure) -> set[str]:
        return {r.withdrawal.number for r in withdrawals_behind(head, PERIOD, figure).rows}

    assert numbers(Figure("month", month=MARCH)) == {n["W1"].number, n["W2"].number, n["W7"].number}
    assert numbers(Figure("express")) == {n["W3"].number}
    assert numbers(Figure("pickup_returns")) == {n["W4"].number}
    assert numbers(Figure("out_of_assortment")) == {n["W5"].number}
    article = orders.world.diabetes_product.article_number
    assert numbers(Figure("article", article_number=article)) == {
        n["W1"].number,
        n["W2"].number,
        n["W4"].number,
        n["W7"].number,
    }
    with pytest.raises(NotFound):
        withdrawals_behind(head, PERIOD, Figure("bogus"))
