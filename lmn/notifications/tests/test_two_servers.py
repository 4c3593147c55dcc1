"""Two application servers and two notification workers against one PostgreSQL.

Nothing lives on a server's own disk, so a load balancer may send any request to either
server: orders placed on one are shipped from the other, a retry with the same
Idempotency-Key may land on the other server, and the arrival SMS is sent exactly once
although both servers (after commit) and both workers (their send loop) race for it.
The harness is lmn/testing/multi_server.py (bench/multi.py prints the same figures).

Bounded (40 orders), loopback only; the database `lmn_two_servers_test` is created and dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from lmn.testing import multi_server

ORDERS = 40


@pytest.fixture
def multi_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/lmn_two_servers_test"
    with multi_server.fresh_database(url):
        yield multi_server.environment(url, tmp_path / "data")


@pytest.mark.postgres_only
def test_two_servers_and_two_workers_lose_nothing_and_send_each_sms_once(
    multi_env: dict[str, str], tmp_path: Path
) -> None:
    outcome = multi_server.run(multi_env, tmp_path, ORDERS)
    assert len(outcome.statuses) == ORDERS * 5  # two posts, three shipment events
    figures = multi_server.count(multi_env, outcome)
    assert figures == {
        "errors": 0,  # every answer 200/201, and each retry answered as the first call
        "lost": 0,  # every number answered is in the database
        "withdrawals": ORDERS,  # one per order, though each was posted to both servers
        "sms": 2 * ORDERS,  # a shipped and an arrival SMS per order ...
        "unsent": 0,
        "sent_twice": 0,  # ... each handed to the gateway exactly once
        "sends": 2 * ORDERS,
    }
    data = Path(multi_env["LMN_DATA_DIR"])
    assert sorted(p.name for p in data.iterdir()) == ["static"]  # no outbox, no key file
