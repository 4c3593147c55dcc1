"""In-process figures, in the bench's own process against the bench's database:

    python bench/inproc.py JOBS.json OUT.json

- queries per order: one representative POST /api/v1/withdrawals under Django's
  CaptureQueriesContext (after one warm-up order, so caches are as in a running server),
  every statement counted, and how many of them are transaction control (BEGIN and
  COMMIT, each a round trip of its own);
- server time of the same kind of order through the API and through the portal's
  ordering page (GET the form, then submit it), with Django's test client: no network,
  no gunicorn, the whole middleware stack. Medians over the jobs given.
No production code is changed to get these.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

MAIN = Path(__file__).resolve().parent.parent
LOGIN = {"username": "forskrivare", "password": "demo", "unit": "602154"}
DELIVERY = {"destination": "door", "speed": "standard", "door_code": "1234"}


_TX_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _timed(call: Any) -> tuple[float, Any, int, int]:
    """(ms, response, statements, of which transaction control such as BEGIN/COMMIT)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = call()
        ms = (time.perf_counter() - t0) * 1000
    tx = sum(1 for q in queries.captured_queries if q["sql"].upper().startswith(_TX_CONTROL))
    return ms, response, len(queries), tx


def run(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from lmn.accounts.models import User
    from lmn.patients.models import Patient

    api = Client()
    token = api.post("/api/v1/auth/token", LOGIN, content_type="application/json").json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    portal = Client()
    portal.force_login(User.objects.get(username="forskrivare"))
    figures: dict[str, list[float]] = {"api": [], "get": [], "submit": []}
    counts: dict[str, int] = {}
    statuses: dict[str, set[int]] = {"api": set(), "get": set(), "submit": set()}
    for i, job in enumerate(jobs):
        if i % 2 == 0:
            body = {
                "patient_id": job["patient_id"],
                "lines": [{"prescription_id": job["prescription_id"], "quantity": job["quantity"]}],
                "delivery": DELIVERY,
            }
            ms, r, n, tx = _timed(lambda body=body: api.post(
                "/api/v1/withdrawals", body, content_type="application/json",
                headers={**auth, "Idempotency-Key": str(uuid.uuid4())}))  # fmt: skip
            statuses["api"].add(r.status_code)
            if i > 0:
                figures["api"].append(ms)
                counts.setdefault("api", n)
                counts.setdefault("api_tx", tx)
            continue
        patient = Patient.objects.get(pk=job["patient_id"])
        url = reverse("web:new_withdrawal", args=[patient.pk])
        ms, r, n, _tx = _timed(lambda url=url: portal.get(url))
        statuses["get"].add(r.status_code)
        figures["get"].append(ms)
        counts.setdefault("get", n)
        data = {
            f"qty_{job['prescription_id']}": str(job["quantity"]),
            "destination": "door", "speed": "standard", "street": patient.street,
            "postcode": patient.postcode, "city": patient.city, "door_code": "1234",
            "name_on_door": "on", "phone": "070-123 45 67",
            "idempotency_key": str(uuid.uuid4()),
        }  # fmt: skip
        ms, r, n, _tx = _timed(lambda url=url, data=data: portal.post(url, data))
        statuses["submit"].add(r.status_code)
        figures["submit"].append(ms)
        counts.setdefault("submit", n)
    return {
        "median_ms": {k: statistics.median(v) if v else float("nan") for k, v in figures.items()},
        "queries": counts,
        "statuses": {k: sorted(v) for k, v in statuses.items()},
    }


def main() -> None:
    import django

    sys.path.insert(0, str(MAIN))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmn.config.settings")
    django.setup()
    jobs = json.loads(Path(sys.argv[1]).read_text())
    Path(sys.argv[2]).write_text(json.dumps(run(jobs)))


if __name__ == "__main__":
    main()
