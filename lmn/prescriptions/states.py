from __future__ import annotations

from django.db import models


class PrescriptionStatus(models.TextChoices):
    ACTIVE = "active", "Aktiv"  # withdrawals may be made within validity and entitlement
    ENDED = "ended", "Avslutad"  # ended by a prescriber before valid_until; no more withdrawals


TRANSITIONS: dict[str, frozenset[str]] = {
    PrescriptionStatus.ACTIVE: frozenset({PrescriptionStatus.ENDED}),
    PrescriptionStatus.ENDED: frozenset(),
}
