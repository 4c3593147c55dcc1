"""Ending or replacing a prescription, and what happens to its open withdrawals (RX-3).

The prescriber chooses: the withdrawals not yet picked are stopped (cancelled through
`cancel_withdrawal`, stock released and fees reversed) or kept. Everything happens in one
transaction: the prescription is locked first (as placing does), then its open
withdrawals, before anything is audited, so a withdrawal the distributor picks in between
either waits for the ending or is no longer open when the ending reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lmn.core.actor import Actor
from lmn.core.errors import DomainError, Problem
from lmn.prescriptions.lifecycle import end_prescription, replace_product
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.services import PrescriptionDraft

from .changes import cancel_withdrawal
from .models import Withdrawal, WithdrawalLine
from .states import WithdrawalStatus


@dataclass
class Ended:
    prescription: Prescription
    stopped: list[str] = field(default_factory=list)  # the cancelled withdrawals' numbers
    kept: list[str] = field(default_factory=list)  # open ones left to be delivered
    replacement: Prescription | None = None


def open_withdrawals_of(prescription: Prescription) -> list[Withdrawal]:
    """Withdrawals with a line of this prescription that the distributor has not picked."""
    return list(_open_of(prescription))


def _open_of(prescription: Prescription) -> QuerySet[Withdrawal]:
    # a subquery rather than a join: no duplicate rows to drop, so it can be locked too
    return Withdrawal.objects.filter(
        pk__in=WithdrawalLine.objects.filter(prescription=prescription).values("withdrawal_id"),
        status=WithdrawalStatus.PLACED,
    ).order_by("pk")


def end_with_withdrawals(
    prescription: Prescription,
    *,
    reason: str,
    stop_open: bool,
    based_on_version: int | None,
    actor: Actor,
    replacement: PrescriptionDraft | None = None,
) -> Ended:
    """End (or, with `replacement`, replace) and stop or keep the open withdrawals."""
    with transaction.atomic():
        if stop_open:
            _lock_with_open_withdrawals(prescription)
        if replacement is not None:
            new = replace_product(
                prescription, replacement, based_on_version=based_on_version, actor=actor
            )
            ended = Prescription.objects.get(pk=prescription.pk)
        else:
            new = None
            ended = end_prescription(
                prescription, reason=reason, based_on_version=based_on_version, actor=actor
            )
        result = Ended(ended, replacement=new)
        for withdrawal in open_withdrawals_of(ended):
            if not stop_open:
                result.kept.append(withdrawal.number)
                continue
            _refuse_mixed(withdrawal, ended)
            cancel_withdrawal(withdrawal, actor=actor)
            result.stopped.append(withdrawal.number)
    return result


def _lock_with_open_withdrawals(prescription: Prescription) -> None:
    """Lock the prescription, then its open withdrawals, before anything is audited.

    The locks are taken in one order everywhere: prescription, withdrawal, then the
    patient's audit chain (placing takes the prescription and then the chain, picking
    the withdrawal and then the chain). Ending audits inside end_prescription; had it
    locked the withdrawals only afterwards, a depot picking at that moment would hold
    the withdrawal and wait for the chain while the ending waited the other way round.
    """
    list(Prescription.objects.select_for_update().filter(pk=prescription.pk).values_list("pk"))
    list(_open_of(prescription).select_for_update().values_list("pk"))


def _refuse_mixed(withdrawal: Withdrawal, prescription: Prescription) -> None:
    """A withdrawal that also brings other products is not cancelled as a side effect."""
    if withdrawal.lines.exclude(prescription=prescription).exists():
        raise DomainError(
            Problem(
                "withdrawal_has_other_products",
                _(
                    "Uttag %(number)s innehåller även andra produkter. Makulera det på "
                    "uttagets sida, eller välj att behålla öppna uttag."
                )
                % {"number": withdrawal.number},
                "stop_open",
            )
        )
