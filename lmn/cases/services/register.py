"""Carrying out an approved case: the patient, the prescriber's access, the prescription."""

from __future__ import annotations

from lmn.accounts.models import Membership, User
from lmn.accounts.services import actor_for, grant_prescribing_area
from lmn.catalog.models import ProductArea
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError
from lmn.organisations.models import PrescribingUnit
from lmn.patients.identifiers import LmaNumber
from lmn.patients.models import Patient
from lmn.patients.services import (
    register_lma_patient,
    register_protected_patient,
    register_unlisted_patient,
    register_ut_patient,
)
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.policy import asylum_unit_number
from lmn.prescriptions.services import (
    PrescriptionDraft,
    create_prescription,
)

from ..models import Case
from ..states import CaseKind


def _carry_out(case: Case, *, actor: Actor) -> tuple[Patient, Prescription]:
    kind = case.kind
    prescriber: User = case.submitted_by
    if kind in (CaseKind.ASYLUM, CaseKind.WITHOUT_PERMIT):
        _require_area_at_own_unit(prescriber, case.unit, case.product.area)
        unit = _asylum_unit()
        membership = grant_prescribing_area(prescriber, unit, case.product.area, actor=actor)
        if kind == CaseKind.ASYLUM:
            assert case.birth_date is not None
            patient = register_lma_patient(
                first_name=case.first_name,
                last_name=case.last_name,
                birth_date=case.birth_date,
                lma=LmaNumber(case.lma_number, case.lma_card_sequence),
                lma_valid_until=case.lma_valid_until,
                actor=actor,
            )
        else:
            assert case.birth_date is not None
            patient = register_ut_patient(
                first_name=case.first_name,
                last_name=case.last_name,
                birth_date=case.birth_date,
                actor=actor,
            )
    else:
        membership = _membership_in(prescriber, case.unit)
        if kind == CaseKind.PROTECTED_IDENTITY:
            patient = register_protected_patient(unit=case.unit, actor=actor)
        elif kind == CaseKind.OUTSIDE_REGION and case.patient is None:
            patient = register_unlisted_patient(
                personal_number=case.personal_number,
                first_name=case.first_name,
                last_name=case.last_name,
                actor=actor,
            )
        else:
            assert case.patient is not None
            patient = case.patient
    prescription = create_prescription(
        PrescriptionDraft(
            patient=patient,
            product=case.product,
            consumption_amount=case.consumption_amount,
            consumption_period=case.consumption_period,
            instructions=case.instructions,
            care_cannot_wait=case.care_cannot_wait,
            justification=case.justification,
        ),
        actor=actor_for(membership),
        authorised_by_case=True,
    )
    return patient, prescription


def _asylum_unit() -> PrescribingUnit:
    number = asylum_unit_number()
    unit = PrescribingUnit.objects.filter(customer_number=number, active=True).first()
    if unit is None:
        raise DomainError.single(
            "asylum_unit_missing",
            f"Kundnummer {number} (Asylenheten) finns inte i LMN. Kontakta LMN-administrationen.",
        )
    return unit


def _require_area_at_own_unit(prescriber: User, unit: PrescribingUnit, area: ProductArea) -> None:
    """ACC-3 at approval: the prescriber must still hold the case's product area at the
    unit that sent it, or approval would hand out at 601628 an area they lack at home."""
    if not actor_for(_membership_in(prescriber, unit)).may_prescribe_in(area.code):
        raise DomainError.single(
            "ACC-3",
            f"Förskrivaren har inte längre behörighet inom {area.name} på sin enhet. Avslå "
            "ärendet eller be enheten skicka ett nytt.",
            "article_number",
        )


def _membership_in(prescriber: User, unit: PrescribingUnit) -> Membership:
    membership = (
        Membership.objects.filter(
            user=prescriber, unit=unit, role__in=Role.PRESCRIBING, active=True
        )
        .select_related("user", "unit")
        .prefetch_related("areas")
        .first()
    )
    if membership is None:
        raise DomainError.single(
            "prescriber_left_unit",
            "Förskrivaren har inte längre behörighet i enheten. Avslå ärendet eller be enheten "
            "skicka ett nytt.",
        )
    return membership
