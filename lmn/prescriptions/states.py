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

    NO_LONGER_NEEDED = "no_longer_needed", _("Behövs inte längre")
    REPLACED = "replaced", _("Ersatt av annan produkt")
    DECEASED = "deceased", _("Patienten har avlidit")
    MOVED = "moved", _("Patienten har flyttat")
    WRONG_ENTRY = "wrong_entry", _("Felregistrering")


class VersionKind(models.TextChoices):
    """What made a version of a prescription (RX-1): the history shows each."""

    CREATED = "created", _("Förskriven")
    CHANGED = "changed", _("Ändrad")
    RENEWED = "renewed", _("Förnyad")
    MOVED = "moved", _("Flyttad till annan enhet")
    ENDED = "ended", _("Avslutad")


class MoveStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på mottagande enhet")  # sent; the prescription stays where it is
    ACCEPTED = "accepted", _("Mottagen")  # the receiving unit's prescriber took it over (RX-4)
    DECLINED = "declined", _("Avböjd")  # the receiving unit said no; nothing moved
    WITHDRAWN = "withdrawn", _("Återkallad")  # the sending unit took the request back


MOVE_TRANSITIONS: dict[str, frozenset[str]] = {
    MoveStatus.PENDING: frozenset({MoveStatus.ACCEPTED, MoveStatus.DECLINED, MoveStatus.WITHDRAWN}),
    MoveStatus.ACCEPTED: frozenset(),
    MoveStatus.DECLINED: frozenset(),
    MoveStatus.WITHDRAWN: frozenset(),
}
