"""The order path's queries, counted (issue 10): a number, so that a regression fails.

Counted inside the test's transaction, so each atomic block shows as SAVEPOINT/RELEASE
(in production BEGIN/COMMIT). What placing one order costs, on SQLite:
the token (with the membership's areas), the patient, savepoint, the prescriptions (locked,
with their payers and the withdrawals so far, GEN-3), the number, the withdrawal (with its
idempotency key), its lines, its event, the audit chain's head, the audit event, release.
PostgreSQL reads the withdrawals so far after the lock (one more), numbers the withdrawal
in its INSERT (one less), and locks the audit chain and reads its head in one call.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lmn.api.tests.conftest import client_for, post_json
from lmn.delivery.models import RegionPolicy
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal

URL = "/api/v1/withdrawals"
PG = connection.vendor == "postgresql"
# each withdrawal's day is read for the entitlement (RX-1): in its own query; on
# PostgreSQL placing already read it apart from the locking read of the prescriptions
PLACE = 11 if PG else 12
PREVIEW = 7  # 4, and 3 for the products' cost and who pays (INV-1)


def _body(world: World, lines: int, speed: str = "standard") -> dict[str, Any]:
    rxs = [
        f.make_prescription(
            patient=world.patient,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=world.unit,
            amount=1,
            per="day",
        )
        for _ in range(lines)
    ]
    return {
        "patient_id": world.patient.pk,
        "lines": [{"prescription_id": rx.pk, "quantity": 10} for rx in rxs],
        "delivery": {"destination": "door", "speed": speed},
    }


def _client(world: World, body: dict[str, Any]) -> Client:
    client = client_for(world.prescriber, world.unit)
    # the first request of a client may do once what later ones do not
    assert post_json(client, f"{URL}/preview", body).status_code == 200
    return client


def _counted(client: Client, url: str, body: dict[str, Any], **headers: str) -> tuple[Any, int]:
    response, sql = _captured(client, url, body, **headers)
    return response, len(sql)


def _captured(
    client: Client, url: str, body: dict[str, Any], **headers: str
) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = post_json(client, url, body, **headers)
    sql = [q["sql"] for q in ctx.captured_queries]
    print("\n".join(q[:160] for q in sql))  # shown when it fails
    return response, sql


@pytest.mark.parametrize("lines", [1, 3])
def test_placing_an_order_costs_the_same_queries_for_one_line_or_three(
    world: World, lines: int
) -> None:
    body = _body(world, lines)
    client = _client(world, body)
    response, queries = _counted(client, URL, body, **{"Idempotency-Key": "k"})
    assert response.status_code == 201, response.content
    assert len(response.json()["lines"]) == lines
    assert queries == PLACE


@pytest.mark.postgres_only
def test_placing_locks_the_prescriptions_rows_only(world: World) -> None:
    """Not the product's, area's or unit's rows it reads with them: orders of one product
    (or from one unit) would otherwise wait for each other."""
    body = _body(world, 2)
    client = _client(world, body)
    response, sql = _captured(client, URL, body, **{"Idempotency-Key": "k"})
    assert response.status_code == 201, response.content
    locking = [q for q in sql if "FOR UPDATE" in q]
    assert len(locking) == 1
    assert locking[0].rstrip().endswith('FOR UPDATE OF "prescriptions_prescription"')


def test_previewing_an_order_costs_three_queries(world: World) -> None:
    body = _body(world, 3)
    client = _client(world, body)
    response, queries = _counted(client, f"{URL}/preview", body)
    assert response.status_code == 200, response.content
    assert queries == PREVIEW


def test_the_answer_is_what_was_written(world: World) -> None:
    """Rendered from the rows just written, the answer matches a later read of them."""
    body = _body(world, 3, speed="emergency")
    body["delivery"]["phone"] = "070-123 45 67"
    client = _client(world, body)
    placed = post_json(client, URL, body, **{"Idempotency-Key": "k"}).json()
    read = client.get(f"{URL}/{placed['number']}").json()
    assert placed["fees"] and placed["fees"] == read["fees"]
    assert placed["lines"] == read["lines"]
    again = post_json(client, URL, body, **{"Idempotency-Key": "k"})
    assert again.status_code == 200 and again.json() == placed


def test_a_policy_change_is_seen_by_the_next_order(world: World) -> None:
    """The policy is kept between orders, and forgotten when it changes."""
    body = _body(world, 1, speed="emergency")
    body["delivery"]["phone"] = "070-123 45 67"
    client = _client(world, body)
    first = post_json(client, URL, body, **{"Idempotency-Key": "k1"}).json()
    assert [x["amount"] for x in first["fees"]] == ["250.00"]
    policy, _ = RegionPolicy.objects.get_or_create(region="VG")
    policy.fee_emergency = 300
    policy.save()
    body["lines"] = _body(world, 1)["lines"]
    second = post_json(client, URL, body, **{"Idempotency-Key": "k2"}).json()
    assert [x["amount"] for x in second["fees"]] == ["300.00"]
    RegionPolicy.objects.filter(region="VG").update(fee_emergency=350)
    body["lines"] = _body(world, 1)["lines"]
    third = post_json(client, URL, body, **{"Idempotency-Key": "k3"}).json()
    assert [x["amount"] for x in third["fees"]] == ["350.00"]
    assert Withdrawal.objects.count() == 3
