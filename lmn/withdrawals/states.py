"""The withdrawal lifecycle as data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WithdrawalStatus(models.TextChoices):
    PLACED = "placed", _("Mottagen")  # accepted and sent to the distributor
    PICKED = "picked", _("Plockad")  # picked and packed at the depot
    SHIPPED = "shipped", _("Skickad")  # handed to the carrier
    DELIVERED = "delivered", _("Levererad")  # delivered to the door or the unit
    ARRIVED = "arrived", _("Finns på utlämningsstället")  # waiting at the pickup point (PICK-2)
    COLLECTED = "collected", _("Uthämtad")  # collected at the pickup point (PICK-5..PICK-9)
    RETURNED = "returned", _("Returnerad")  # came back to the distributor
    CANCELLED = "cancelled", _("Makulerad")  # withdrawn before picking; does not count


TRANSITIONS: dict[str, frozenset[str]] = {
    WithdrawalStatus.PLACED: frozenset({WithdrawalStatus.PICKED, WithdrawalStatus.CANCELLED}),
    WithdrawalStatus.PICKED: frozenset({WithdrawalStatus.SHIPPED}),
    WithdrawalStatus.SHIPPED: frozenset(
        {WithdrawalStatus.DELIVERED, WithdrawalStatus.ARRIVED, WithdrawalStatus.RETURNED}
    ),
    WithdrawalStatus.ARRIVED: frozenset({WithdrawalStatus.COLLECTED, WithdrawalStatus.RETURNED}),
    WithdrawalStatus.COLLECTED: frozenset(),
    WithdrawalStatus.DELIVERED: frozenset(),
    WithdrawalStatus.RETURNED: frozenset(),
    WithdrawalStatus.CANCELLED: frozenset(),
}

# withdrawals in these states no longer count against the prescription
NOT_COUNTING = frozenset({WithdrawalStatus.CANCELLED})
