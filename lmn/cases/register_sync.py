"""What the population register reports, carried through LMN (run by the scheduler).

- A patient the register now protects is locked (SKYDD-7); their open withdrawals are held
  so the distributor sees nothing of them, and customer service gets a follow-up to ask
  the unit how to deliver (SKYDD-5).
- A patient the register reports deceased: withdrawals not yet picked are cancelled, those
  on their way come back free of charge, customer service gets a follow-up for each, and
  the prescriptions end.

Every step is idempotent and looks at the whole state, not only at this run's changes, so
a run that stopped half-way is made good by the next.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from lmn.core.actor import Actor
from lmn.patients.services import sync_deaths_from_register, sync_protection_from_register
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.services import end_by_system
from lmn.prescriptions.states import PrescriptionStatus
from lmn.withdrawals.deceased import open_withdrawals_of_deceased, stop_for_deceased
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.protected import HOLDABLE, hold_newly_protected

from .followups import open_follow_up
from .models import FollowUp


def _with_follow_up(kind: str) -> QuerySet[FollowUp, int]:
    return FollowUp.objects.filter(kind=kind).values_list("withdrawal_id", flat=True)


def sync_register(*, actor: Actor) -> dict[str, int]:
    locked = sync_protection_from_register(actor=actor)
    held = len(hold_newly_protected(actor=actor))
    waiting = Withdrawal.objects.filter(
        held_at__isnull=False, released_at__isnull=True, status__in=HOLDABLE
    ).exclude(pk__in=_with_follow_up(FollowUp.Kind.PROTECTED_HOLD))
    for w in waiting.select_related("patient").order_by("pk"):
        open_follow_up(FollowUp.Kind.PROTECTED_HOLD, w, actor)

    deceased = sync_deaths_from_register(actor=actor)
    stopped = 0
    to_stop = open_withdrawals_of_deceased().exclude(pk__in=_with_follow_up(FollowUp.Kind.DECEASED))
    for w in to_stop.select_related("patient").order_by("pk"):
        with transaction.atomic():
            stop_for_deceased(w, actor=actor)
            open_follow_up(FollowUp.Kind.DECEASED, w, actor)
            stopped += 1
    ended = 0
    active = Prescription.objects.filter(
        patient__deceased_on__isnull=False, status=PrescriptionStatus.ACTIVE
    ).select_related("patient")
    for p in active.order_by("pk"):
        ended += end_by_system(p, reason="deceased", actor=actor)
    return {
        "locked": locked,
        "held": held,
        "deceased": deceased,
        "stopped": stopped,
        "prescriptions_ended": ended,
    }
