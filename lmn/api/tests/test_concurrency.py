"""Concurrent withdrawals against one prescription never exceed its entitlement (GEN-3)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client

from lmn.api.tests.conftest import token_for
from lmn.testing import factories as f
from lmn.withdrawals.models import WithdrawalLine

THREADS = 8


@pytest.mark.postgres_only
@pytest.mark.rule("GEN-3")
@pytest.mark.django_db(transaction=True)
def test_concurrent_withdrawals_for_the_full_amount_only_one_succeeds(world: Any) -> None:
    # given a prescription with 90 withdrawable now and one token per thread
    prescription = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    tokens = [token_for(world.prescriber, world.unit) for _ in range(THREADS)]
    body = {
        "patient_id": world.patient.pk,
        "lines": [{"prescription_id": prescription.pk, "quantity": 90}],
    }
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def order(i: int) -> None:
        try:
            client = Client(headers={"Authorization": f"Bearer {tokens[i]}"})
            barrier.wait()
            r = client.post(
                "/api/v1/withdrawals",
                body,
                content_type="application/json",
                headers={"Idempotency-Key": f"race-{i}"},
            )
            with lock:
                results.append((r.status_code, r.json()))
        finally:
            connection.close()

    # when all threads order the full amount at once
    threads = [threading.Thread(target=order, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # then exactly one succeeds and the others are refused by GEN-3
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [422] * (THREADS - 1), results
    for status, payload in results:
        if status == 422:
            assert payload["errors"][0]["code"] == "GEN-3"
    total = WithdrawalLine.objects.filter(prescription=prescription).aggregate(s=Sum("quantity"))
    assert total["s"] == 90
