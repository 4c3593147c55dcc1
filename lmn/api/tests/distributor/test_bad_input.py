"""The distributor's API answers malformed event and collection bodies with 422."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.api.tests.conftest import assert_error, post_json

from .helpers import QUEUE, _place, _to_pickup_point


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "required"),
        ({"event": "teleported"}, "invalid_choice"),
        ({"event": "picked", "at": "now"}, "unknown_field"),
        ({"event": ["picked"]}, "invalid_choice"),
        ({"event": "returned", "reason": 3}, "invalid_choice"),
    ],
)
def test_bad_event_bodies_are_422(
    world: Any, prescriber_client: Client, prescription: Any, depot: Client, body: Any, code: str
) -> None:
    number = _place(prescriber_client, world.patient, prescription)
    assert_error(post_json(depot, f"{QUEUE}/{number}/events", body), 422, code)


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"recipient_id_shown": "yes"}, "invalid_boolean"),
        ({"collector": "neighbour"}, "invalid_choice"),
        ({"id_document": "x" * 31}, "too_long"),
        ({"code": "1\x002"}, "invalid_characters"),
        ({"collector_name": 7}, "invalid_string"),
        ({"extra": 1}, "unknown_field"),
    ],
)
def test_bad_collection_bodies_are_422(
    world: Any,
    prescriber_client: Client,
    prescription: Any,
    depot: Client,
    override: Any,
    code: str,
) -> None:
    number = _to_pickup_point(prescriber_client, world, prescription)
    body = {
        "code": "1234",
        "collector": "recipient",
        "recipient_id_shown": True,
        "collector_id_shown": False,
        "id_document": "pass",
        **override,
    }
    assert_error(post_json(depot, f"{QUEUE}/{number}/collection", body), 422, code)
