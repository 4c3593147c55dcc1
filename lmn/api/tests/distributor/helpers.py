"""What the distributor API tests share: the pinned Monday, placing and moving withdrawals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from lmn.api.tests.conftest import post_json
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


QUEUE = "/api/v1/distributor/withdrawals"


def _place(client: Client, patient: Any, rx: Any, key: str = "k", **delivery: Any) -> str:
    body = {
        "patient_id": patient.pk,
        "lines": [{"prescription_id": rx.pk, "quantity": 10}],
        "delivery": {"destination": "door", "speed": "standard", **delivery},
    }
    r = post_json(client, "/api/v1/withdrawals", body, **{"Idempotency-Key": key})
    assert r.status_code == 201, r.content
    number: str = r.json()["number"]
    return number


def _to_pickup_point(client: Client, world: Any, rx: Any, **extra: Any) -> str:
    f.make_pickup_point()
    details = {
        "destination": "pickup_point",
        "pickup_point_id": "PN-41301",
        "notify_by": "sms",
        "phone": "0701234567",
        "contact_person": "Anna Berg",
    }
    details.update(extra)
    return _place(client, world.patient, rx, **details)


def _event(client: Client, number: str, event: str, **extra: Any) -> Any:
    return post_json(client, f"{QUEUE}/{number}/events", {"event": event, **extra})


def _collect(client: Client, number: str, **overrides: Any) -> Any:
    body = {
        "code": Withdrawal.objects.get(number=number).pickup_code,
        "collector": "recipient",
        "recipient_id_shown": True,
        "collector_id_shown": False,
        "id_document": "körkort",
    }
    body.update(overrides)
    return post_json(client, f"{QUEUE}/{number}/collection", body)


def _keys(value: Any) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _collect_unknown(client: Client, number: str) -> Any:
    body = {
        "code": "0000",
        "collector": "recipient",
        "recipient_id_shown": True,
        "collector_id_shown": False,
        "id_document": "pass",
    }
    return post_json(client, f"{QUEUE}/{number}/collection", body)


def _joint_order(world: Any) -> Any:
    from lmn.withdrawals.joint import JointOrderDraft, ResidentLines, place_joint_order
    from lmn.withdrawals.services import LineDraft

    ward = world.ward
    ward.delivery_place = "Godsmottagningen, entréplan"
    ward.save(update_fields=["delivery_place"])
    items = []
    for pnr in f.PERSONNUMMER[1:3]:
        resident = f.make_resident(ward, pnr)
        rx = f.make_prescription(
            patient=resident,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=world.unit,
        )
        items.append(ResidentLines(resident, [LineDraft(rx.pk, 10)]))
    return place_joint_order(
        JointOrderDraft(ward=ward, residents=items), actor=f.actor_of(world.orderer, ward)
    )
