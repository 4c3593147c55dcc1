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


class EndReason(models.TextChoices):
    """Why a prescriber ended a prescription (RX-3)."""

    NO_LONGER_NEEDED = "no_longer_needed", "Behövs inte längre"
    REPLACED = "replaced", "Ersatt av annan produkt"
    DECEASED = "deceased", "Patienten har avlidit"
    MOVED = "moved", "Patienten har flyttat"
    WRONG_ENTRY = "wrong_entry", "Felregistrering"


class VersionKind(models.TextChoices):
    """What made a version of a prescription (RX-1): the history shows each."""

    CREATED = "created", "Förskriven"
    CHANGED = "changed", "Ändrad"
    RENEWED = "renewed", "Förnyad"
    MOVED = "moved", "Flyttad till annan enhet"
    ENDED = "ended", "Avslutad"


class MoveStatus(models.TextChoices):
    PENDING = "pending", "Väntar på mottagande enhet"  # sent; the prescription stays where it is
    ACCEPTED = "accepted", "Mottagen"  # the receiving unit's prescriber took it over (RX-4)
    DECLINED = "declined", "Avböjd"  # the receiving unit said no; nothing moved
    WITHDRAWN = "withdrawn", "Återkallad"  # the sending unit took the request back


MOVE_TRANSITIONS: dict[str, frozenset[str]] = {
    MoveStatus.PENDING: frozenset({MoveStatus.ACCEPTED, MoveStatus.DECLINED, MoveStatus.WITHDRAWN}),
    MoveStatus.ACCEPTED: frozenset(),
    MoveStatus.DECLINED: frozenset(),
    MoveStatus.WITHDRAWN: frozenset(),
}
