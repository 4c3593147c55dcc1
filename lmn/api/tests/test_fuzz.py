"""Hypothesis over the request bodies: whatever arrives, the answer is never 5xx."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import quote_from_bytes

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmn.api.tests.conftest import client_for
from lmn.core.actor import Role
from lmn.testing import factories as f

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
            "leave_outside": st.one_of(st.booleans(), anything),
            "multi_family": st.one_of(st.none(), st.booleans(), anything),
            "pickup_point_id": st.one_of(st.just("PN-41301"), st.text(max_size=45), anything),
            "contact_person": st.one_of(st.text(max_size=30), anything),
            "contact_phone": st.one_of(
                st.text(max_size=20), st.from_regex(r"07\d-\d{7}", fullmatch=True), anything
            ),
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


def _assert_no_5xx(r: Any, body: Any) -> None:
    assert r.status_code < 500, (body, r.content)
    if r.status_code >= 400:
        payload = r.json()
        assert set(payload) == {"errors"}
        assert all(set(e) == {"code", "field", "message"} for e in payload["errors"])


def test_withdrawal_body_fuzz_never_5xx(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    f.make_pickup_point()

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
        _assert_no_5xx(r, body)

    check()


def test_preview_body_fuzz_never_5xx(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    f.make_pickup_point()

    @settings(
        max_examples=75,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(_bodies(world.patient.pk, prescription.pk))
    def check(body: Any) -> None:
        r = prescriber_client.post(
            "/api/v1/withdrawals/preview", json.dumps(body), content_type="application/json"
        )
        _assert_no_5xx(r, body)

    check()


def test_distributor_body_fuzz_never_5xx(
    world: Any, prescriber_client: Client, prescription: Any
) -> None:
    depot = client_for(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None), None)
    f.make_pickup_point()
    placed = prescriber_client.post(
        "/api/v1/withdrawals",
        json.dumps(
            {
                "patient_id": world.patient.pk,
                "lines": [{"prescription_id": prescription.pk, "quantity": 5}],
                "delivery": {
                    "destination": "pickup_point",
                    "pickup_point_id": "PN-41301",
                    "notify_by": "sms",
                    "phone": "0701234567",
                },
            }
        ),
        content_type="application/json",
        headers={"Idempotency-Key": "fuzz-distributor"},
    )
    number = placed.json()["number"]
    event = st.fixed_dictionaries(
        {},
        optional={
            "event": st.one_of(
                st.sampled_from(["picked", "shipped", "delivered", "arrived", "returned"]),
                anything,
            ),
            "reason": st.one_of(st.sampled_from(["other", "wrong_door_code"]), anything),
        },
    )
    collection = st.fixed_dictionaries(
        {},
        optional={
            "code": st.one_of(st.from_regex(r"\d{4}", fullmatch=True), anything),
            "collector": st.one_of(
                st.sampled_from(["recipient", "contact_person", "guardian", "other"]), anything
            ),
            "register_extract_shown": anything,
            "recipient_id_shown": anything,
            "collector_id_shown": anything,
            "id_document": st.one_of(st.text(max_size=35), anything),
            "collector_name": st.one_of(st.text(max_size=30), anything),
        },
    )
    # A path travels as bytes: generate bytes, invalid UTF-8 included (what a lone
    # surrogate in generated text would mean, and what quote() refuses to encode), and
    # percent-encode them. "/" and "." would make another path (Django's own 404).
    numbers = (
        st.one_of(
            st.just(number.encode()),
            st.text(st.characters(codec="utf-8"), min_size=1, max_size=12).map(str.encode),
            st.binary(min_size=1, max_size=12),
        )
        .filter(lambda raw: not set(raw) & set(b"/."))
        .map(lambda raw: quote_from_bytes(raw, safe=""))
    )

    @settings(
        max_examples=75,
        deadline=None,
        derandomize=True,  # the same examples on every run: a failure is reproducible
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        numbers,
        st.sampled_from(["events", "collection"]),
        st.one_of(event, collection, anything),
    )
    def check(target: str, what: str, body: Any) -> None:
        r = depot.post(
            f"/api/v1/distributor/withdrawals/{target}/{what}",
            json.dumps(body),
            content_type="application/json",
        )
        _assert_no_5xx(r, body)

    check()
