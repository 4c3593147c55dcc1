"""Scale-out: two gunicorn servers (1 worker each) and two notification workers against one
PostgreSQL, load spread over both. Prints figures; exits non-zero if any is wrong.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/multi.py \\
        [--orders N] [--clients C]

The database `lmn_multi` (beside the one DATABASE_URL names; default on 127.0.0.1) is
created, migrated, seeded and dropped. Each order is posted twice under one Idempotency-Key
(the retry on the other server), then picked, shipped and reported arrived, each step on
the other server, which queues one arrival SMS; both servers (after commit) and both
workers (the send loop) race to send it. Loopback only; bounded by --orders.
The same run, with 40 orders, is lmn/notifications/tests/test_two_servers.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lmn.testing import multi_server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = base.rsplit("/", 1)[0] + "/lmn_multi"
    with tempfile.TemporaryDirectory(prefix="lmn-multi-") as tmp, multi_server.fresh_database(url):
        env = multi_server.environment(url, Path(tmp) / "data")
        outcome = multi_server.run(env, Path(tmp), args.orders, clients=args.clients)
        figures = multi_server.count(env, outcome)
        leftovers = sorted(p.name for p in (Path(tmp) / "data").iterdir() if p.name != "static")
    requests = len(outcome.statuses)
    print(f"two servers x 1 worker, two notification workers, {args.clients} clients")
    print(f"  {args.orders} orders ({requests} requests) in {outcome.seconds:.1f} s: "
          f"{args.orders / outcome.seconds:.1f} orders/s with their shipment, "
          f"{requests / outcome.seconds:.0f} requests/s")  # fmt: skip
    for name, value in figures.items():
        print(f"  {name:12} {value}")
    print(f"  local files  {leftovers or 'none'} (besides collected static files)")
    wrong = (
        figures["errors"] or figures["lost"] or figures["unsent"] or figures["sent_twice"]
        or figures["withdrawals"] != args.orders or figures["sends"] != args.orders
        or leftovers
    )  # fmt: skip
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
