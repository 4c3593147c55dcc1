"""The withdrawal lifecycle as data."""

from __future__ import annotations

from django.db import models


class WithdrawalStatus(models.TextChoices):
    PLACED = "placed", "Mottagen"  # accepted and sent to the distributor
    PICKED = "picked", "Plockad"  # picked and packed at the depot
    SHIPPED = "shipped", "Skickad"  # handed to the carrier
    DELIVERED = "delivered", "Levererad"  # delivered to the door or the unit
    ARRIVED = "arrived", "Finns på utlämningsstället"  # waiting at the pickup point (PICK-2)
    COLLECTED = "collected", "Uthämtad"  # collected at the pickup point (PICK-5..PICK-9)
    RETURNED = "returned", "Returnerad"  # came back to the distributor
    CANCELLED = "cancelled", "Makulerad"  # withdrawn before picking; does not count


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
