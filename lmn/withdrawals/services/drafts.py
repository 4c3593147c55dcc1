"""What an orderer fills in, and small helpers every withdrawal use case shares."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from lmn.core.actor import Actor
from lmn.delivery.details import DeliveryRequest
from lmn.patients.models import Patient
from lmn.prescriptions.services import ADULT_AGE, age_on

MAX_LINES = 30
MAX_QUANTITY = 100_000
FIRST_NUMBER = 13_200_000


@dataclass
class LineDraft:
    prescription_id: int
    quantity: int


@dataclass
class WithdrawalDraft:
    patient: Patient
    lines: list[LineDraft]
    delivery: DeliveryRequest = field(default_factory=DeliveryRequest)

    def fingerprint(self) -> str:
        body = {
            "patient": self.patient.pk,
            "lines": [asdict(line) for line in self.lines],
            "delivery": asdict(self.delivery),
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class IdempotencyConflict(Exception):
    """The key was used before with another request body."""


def event_actor(actor: Actor) -> dict[str, Any]:
    """Who acted, as a history row keeps it (the timeline names them from this)."""
    return {
        "actor_hsa_id": actor.hsa_id,
        "actor_role": actor.role,
        "actor_user": actor.user,
        "actor_unit": actor.unit,
    }


def _actor_key(actor: Actor) -> str:
    return f"{actor.hsa_id}@{actor.unit_number}"


def is_child(patient: Patient, *, on: dt.date) -> bool:
    """Under 18 on that day (PICK-8: who may collect at a pickup point)."""
    return age_on(patient.birth_date, on) < ADULT_AGE
