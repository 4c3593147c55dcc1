from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PrescriptionStatus(models.TextChoices):
    ACTIVE = "active", _("Aktiv")  # withdrawals may be made within validity and entitlement
    ENDED = "ended", _("Avslutad")  # ended by a prescriber before valid_until; no more withdrawals


TRANSITIONS: dict[str, frozenset[str]] = {
    PrescriptionStatus.ACTIVE: frozenset({PrescriptionStatus.ENDED}),
    PrescriptionStatus.ENDED: frozenset(),
}
