"""Invoice numbers stay gap-free when runs overlap (INV-3), on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from lmn.core.actor import Actor
from lmn.invoicing.models import Invoice
from lmn.invoicing.services.run import run_invoicing
from lmn.testing import factories as f
from lmn.testing.types import World

from .builders import at, withdrawal

THREADS = 4


@pytest.mark.postgres_only
@pytest.mark.rule("INV-3")
@pytest.mark.django_db(transaction=True)  # the factories make the VAT rates a flush removed
def test_concurrent_runs_issue_each_invoice_once_numbered_without_gaps(world: World) -> None:
    units = [world.unit] + [f.make_unit() for _ in range(4)]
    for unit in units:
        if unit != world.unit:
            f.add_membership(world.doctor, unit=unit, role="lakare")
        withdrawal(
            unit=unit, patient=world.patient, prescriber=world.doctor,
            placed_at=at(2026, 10, 3), lines=[(world.diabetes_product, 2),
                                              (world.nutrition_product, 1)],
        )  # fmt: skip
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with time_machine.travel(at(2026, 11, 5), tick=False):
                barrier.wait()
                run_invoicing(dt.date(2026, 10, 1), actor=Actor.system("race"))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    # five units, two payers each (diabetes and nutrition): ten invoices, numbers 1..10
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 11))
    assert Invoice.objects.values("payer").distinct().count() == 10
