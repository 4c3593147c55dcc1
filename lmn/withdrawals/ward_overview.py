"""A ward's residents and what each may be given now: the page a joint order starts from
(SAM-1). Reading it is audited, one event per resident shown."""

from __future__ import annotations

from dataclasses import dataclass

from lmn.audit.services import Shown, record, record_many
from lmn.core.actor import Actor
from lmn.organisations.models import PrescribingUnit
from lmn.patients.models import Patient
from lmn.patients.queries import patients_visible_to
from lmn.prescriptions.entitlement import Entitlement
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.states import PrescriptionStatus

from .models import Withdrawal
from .queries import entitlements_for
from .wards import JOINT_EXCLUDED_AREAS, _require_ward


@dataclass(frozen=True)
class PrescriptionNow:
    prescription: Prescription
    entitlement: Entitlement
    joint_allowed: bool  # may go in a joint order (not nutrition, SAM-4)

    @property
    def joint_orderable_now(self) -> bool:
        """Something of it may go in a joint order today."""
        return self.joint_allowed and self.entitlement.withdrawable_now > 0


@dataclass(frozen=True)
class ResidentOverview:
    patient: Patient
    prescriptions: list[PrescriptionNow]
    last_withdrawal: Withdrawal | None

    @property
    def withdrawable_now(self) -> int:
        """How many of the resident's prescriptions have something to withdraw today."""
        return sum(1 for p in self.prescriptions if p.entitlement.withdrawable_now > 0)


def ward_overview(
    ward: PrescribingUnit, *, actor: Actor, channel: str = ""
) -> list[ResidentOverview]:
    """The ward's residents with what each may withdraw now (SAM-1), read-audited: one
    event for the ward and one for each resident shown."""
    action = "withdrawals.ward_overview.read"
    _require_ward(ward, actor=actor, action=action, joint=False)
    residents = list(
        patients_visible_to(actor)
        .filter(care_home_unit=ward)
        .order_by("last_name", "first_name", "pk")
    )
    prescriptions = list(
        Prescription.objects.filter(patient__in=residents, status=PrescriptionStatus.ACTIVE)
        .select_related("product__area")
        .order_by("product__area__sort_order", "product__name", "pk")
    )
    entitlements = entitlements_for(prescriptions)
    last: dict[int, Withdrawal] = {}
    for w in Withdrawal.objects.filter(patient__in=residents).order_by("placed_at", "pk"):
        last[w.patient_id] = w
    by_patient: dict[int, list[PrescriptionNow]] = {p.pk: [] for p in residents}
    for rx in prescriptions:
        by_patient[rx.patient_id].append(
            PrescriptionNow(
                prescription=rx,
                entitlement=entitlements[rx.pk],
                joint_allowed=rx.product.area.code not in JOINT_EXCLUDED_AREAS,
            )
        )
    record(
        action,
        actor=actor,
        obj=ward,
        channel=channel,
        data={"ward": ward.customer_number, "patients": [p.pk for p in residents]},
    )
    record_many(
        "withdrawals.ward_overview.resident_shown",
        [Shown(patient=p, obj=p, data={"ward": ward.customer_number}) for p in residents],
        actor=actor,
        channel=channel,
    )
    return [ResidentOverview(p, by_patient[p.pk], last.get(p.pk)) for p in residents]
