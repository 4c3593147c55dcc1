"""What other units hold on a patient that the actor does not see yet (PDL-1, PDL-2):
the patient page offers to state a care relationship when there is something."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from lmn.core.actor import Actor
from lmn.organisations.models import PrescribingUnit
from lmn.patients.access import CARE_STAFF
from lmn.patients.models import Patient, PatientBlock
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.queries import prescriptions_of

from .models import Withdrawal
from .queries import withdrawals_visible_to


@dataclass(frozen=True)
class Elsewhere:
    prescriptions: int = 0  # other units' prescriptions not shown to the actor
    withdrawals: int = 0
    other_provider: bool = False  # some of them belong to another care provider
    blocked: bool = False  # the patient blocked some unit's data: emergency access only

    @property
    def any(self) -> bool:
        return bool(self.prescriptions or self.withdrawals)


def records_elsewhere(patient: Patient, *, actor: Actor) -> Elsewhere:
    """Counts only, never the records: enough to decide whether to state a relationship."""
    if actor.role not in CARE_STAFF or actor.unit is None:
        return Elsewhere()
    hidden_p = Prescription.objects.filter(patient=patient).exclude(
        pk__in=prescriptions_of(patient, actor=actor).values("pk")
    )
    hidden_w = Withdrawal.objects.filter(patient=patient).exclude(
        pk__in=withdrawals_visible_to(actor).filter(patient=patient).values("pk")
    )
    hidden = (hidden_p.count(), hidden_w.count())
    if not any(hidden):
        return Elsewhere()  # the usual case: two queries
    provider = actor.unit.care_provider_id
    other = (
        hidden_p.exclude(unit__care_provider_id=provider).exists()
        or hidden_w.exclude(ordering_unit=None)
        .exclude(ordering_unit__care_provider_id=provider)
        .exists()
    )
    blocked = (
        PatientBlock.objects.filter(patient=patient, lifted_at=None)
        .exclude(unit=actor.unit)
        .exists()
    )
    return Elsewhere(*hidden, other, blocked)


def units_with_records(patient: Patient) -> list[PrescribingUnit]:
    """The units that prescribed or ordered for the patient: what a block can name
    (PDL-2). For customer service, who registers blocks."""
    prescribed = Prescription.objects.filter(patient=patient).values("unit_id")
    ordered = Withdrawal.objects.filter(patient=patient).values("ordering_unit_id")
    return list(
        PrescribingUnit.objects.filter(Q(pk__in=prescribed) | Q(pk__in=ordered)).order_by(
            "customer_number"
        )
    )
