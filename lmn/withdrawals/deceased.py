"""Withdrawals of a patient the register reports deceased: stopped where still possible."""

from __future__ import annotations

from django.db.models import QuerySet

from lmn.core.actor import Actor

from .models import Withdrawal
from .services import transition
from .states import WithdrawalStatus

# placed: cancelled; the rest are on their way and come back free of charge
# (shipping.mark_returned charges no return fee for a patient who has died)
OPEN = (
    WithdrawalStatus.PLACED,
    WithdrawalStatus.PICKED,
    WithdrawalStatus.SHIPPED,
    WithdrawalStatus.ARRIVED,
)


def open_withdrawals_of_deceased() -> QuerySet[Withdrawal]:
    return Withdrawal.objects.filter(patient__deceased_on__isnull=False, status__in=OPEN)


def stop_for_deceased(withdrawal: Withdrawal, *, actor: Actor) -> Withdrawal:
    """Cancel a withdrawal not yet picked (its stock is released); one already on its way
    is left to customer service, who has the carrier collect it (no return fee)."""
    if withdrawal.status == WithdrawalStatus.PLACED:
        return transition(
            withdrawal, WithdrawalStatus.CANCELLED, actor=actor, data={"reason": "deceased"}
        )
    return withdrawal
