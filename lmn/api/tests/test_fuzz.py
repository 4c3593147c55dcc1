"""Hypothesis over the withdrawal body: whatever arrives, the answer is never 5xx."""

from __future__ import annotations

import itertools
import json
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_keys = itertools.count()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["door", "pickup_point", "unit", "standard", "emergency", "express", ""]),
)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _bodies(patient_id: int, prescription_id: int) -> Any:
    line = st.fixed_dictionaries(
        {
            "prescription_id": st.one_of(st.just(prescription_id), anything),
            "quantity": st.one_of(st.integers(min_value=-5, max_value=200), anything),
        },
        optional={"extra": anything},
    )
    delivery = st.fixed_dictionaries(
        {},
        optional={
            "destination": st.one_of(st.sampled_from(["door", "pickup_point", "unit"]), anything),
            "speed": st.one_of(st.sampled_from(["standard", "emergency", "express"]), anything),
            "address": st.one_of(
                st.fixed_dictionaries(
                    {
                        "street": st.text(max_size=40),
                        "postcode": st.text(max_size=8),
                        "city": st.text(max_size=20),
                    }
                ),
                anything,
            ),
            "care_of": st.one_of(st.text(), anything),
            "door_code": st.one_of(st.text(max_size=25), anything),
            "entry_phone": anything,
            "phone": st.one_of(st.text(max_size=20), st.from_regex(r"07\d-\d{7}", fullmatch=True)),
            "email": st.one_of(st.emails(), anything),
            "notify_by": anything,
        },
    )
    body = st.fixed_dictionaries(
        {
            "patient_id": st.one_of(st.just(patient_id), anything),
            "lines": st.one_of(st.lists(line, max_size=3), anything),
            "delivery": st.one_of(delivery, anything),
        },
        optional={"unexpected": anything},
    )
    return st.one_of(body, anything)


def test_withdrawal_body_fuzz_never_5xx(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(_bodies(world.patient.pk, prescription.pk))
    def check(body: Any) -> None:
        r = prescriber_client.post(
            "/api/v1/withdrawals",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": f"fuzz-{next(_keys)}"},
        )
        assert r.status_code < 500, (body, r.content)
        if r.status_code >= 400:
            payload = r.json()
            assert set(payload) == {"errors"}
            assert all(set(e) == {"code", "field", "message"} for e in payload["errors"])

    check()
