"""The history of a prescription: each saved version, with who and when (RX-1)."""

from __future__ import annotations

from lmn.core import clock
from lmn.core.actor import Actor

from .models import Prescription, PrescriptionVersion


def snapshot(prescription: Prescription, kind: str, *, actor: Actor, note: str = "") -> None:
    PrescriptionVersion.objects.create(
        prescription=prescription,
        number=prescription.version,
        kind=kind,
        consumption_amount=prescription.consumption_amount,
        consumption_period=prescription.consumption_period,
        valid_from=prescription.valid_from,
        valid_until=prescription.valid_until,
        max_supply_days=prescription.max_supply_days,
        instructions=prescription.instructions,
        unit=prescription.unit,
        changed_by=actor.user,
        changed_by_role=actor.role,
        changed_at=clock.now(),
        note=note,
    )
