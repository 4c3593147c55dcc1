"""The withdrawal lifecycle as data."""

from __future__ import annotations

from django.db import models


class WithdrawalStatus(models.TextChoices):
    PLACED = "placed", "Mottagen"  # accepted and sent to the distributor
    PICKED = "picked", "Plockad"  # picked and packed at the depot
    SHIPPED = "shipped", "Skickad"  # handed to the carrier
    DELIVERED = "delivered", "Levererad"  # delivered to the recipient
    RETURNED = "returned", "Returnerad"  # came back to the distributor
    CANCELLED = "cancelled", "Makulerad"  # withdrawn before picking; does not count


TRANSITIONS: dict[str, frozenset[str]] = {
    WithdrawalStatus.PLACED: frozenset({WithdrawalStatus.PICKED, WithdrawalStatus.CANCELLED}),
    WithdrawalStatus.PICKED: frozenset({WithdrawalStatus.SHIPPED}),
    WithdrawalStatus.SHIPPED: frozenset({WithdrawalStatus.DELIVERED, WithdrawalStatus.RETURNED}),
    WithdrawalStatus.DELIVERED: frozenset(),
    WithdrawalStatus.RETURNED: frozenset(),
    WithdrawalStatus.CANCELLED: frozenset(),
}

# withdrawals in these states no longer count against the prescription
NOT_COUNTING = frozenset({WithdrawalStatus.CANCELLED})
