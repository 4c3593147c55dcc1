"""OOA-1 and ACC-3 hold on every way to a prescription: each kind of case when it is sent,
customer service's approval, and the direct prescription."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.accounts.models import Membership
from lmn.cases.models import Case
from lmn.cases.services import approve_case, submit_case
from lmn.cases.states import CaseStatus
from lmn.core.errors import DomainError
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.testing import factories as f
from lmn.testing.types import World

KINDS_WITHOUT_PATIENT = ["asylum", "without_permit", "protected_identity"]


def _problems(err: pytest.ExceptionInfo[DomainError]) -> list[tuple[str, str | None]]:
    return [(p.code, p.field) for p in err.value.problems]


@pytest.mark.rule("OOA-1")
@pytest.mark.parametrize("kind", [*KINDS_WITHOUT_PATIENT, "out_of_assortment"])
def test_every_kind_of_case_for_a_product_outside_the_assortment_needs_a_justification(
    world: World, asylum_unit: Any, ooa_product: Any, kind: Any
) -> None:
    patient = {"patient": world.patient} if kind == "out_of_assortment" else {}
    draft = f.case_draft(kind, product=ooa_product, justification="  ", **patient)

    with pytest.raises(DomainError) as refused:
        submit_case(draft, actor=world.actor(world.prescriber, world.unit))

    assert ("OOA-1", "justification") in _problems(refused)
    assert not Case.objects.exists()


@pytest.mark.rule("OOA-1")
@pytest.mark.parametrize("kind", KINDS_WITHOUT_PATIENT)
def test_the_justification_of_any_kind_of_case_is_kept_and_approval_prescribes(
    world: World, asylum_unit: Any, agent: Any, ooa_product: Any, kind: Any
) -> None:
    case = f.make_case(
        kind,
        user=world.prescriber,
        unit=world.unit,
        product=ooa_product,
        justification="Huden tål inte de upphandlade skydden.",
    )
    assert case.justification == "Huden tål inte de upphandlade skydden."

    approved = approve_case(case, actor=agent)

    assert approved.status == CaseStatus.APPROVED
    assert approved.prescription.product == ooa_product


@pytest.mark.rule("OOA-1")
@pytest.mark.parametrize("kind", [*KINDS_WITHOUT_PATIENT, "out_of_assortment"])
def test_approval_refuses_a_case_for_a_product_outside_the_assortment_without_justification(
    world: World, asylum_unit: Any, agent: Any, ooa_product: Any, kind: Any
) -> None:
    patient = {"patient": world.patient} if kind == "out_of_assortment" else {}
    case = f.make_case(
        kind,
        user=world.prescriber,
        unit=world.unit,
        product=ooa_product,
        justification="Sortimentet räcker inte.",
        **patient,
    )
    # sent before every form demanded it: nothing on the case says why
    Case.objects.filter(pk=case.pk).update(justification="")

    with pytest.raises(DomainError) as refused:
        approve_case(case, actor=agent)

    assert ("OOA-1", "justification") in _problems(refused)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert not Prescription.objects.exists()


def _direct(world: World, product: Any, **draft: Any) -> Any:
    return PrescriptionDraft(
        patient=world.patient,
        product=product,
        consumption_amount=1,
        consumption_period="day",
        **draft,
    )


@pytest.mark.rule("OOA-1")
def test_a_direct_prescription_outside_the_assortment_is_sent_to_a_case(
    world: World, ooa_product: Any
) -> None:
    with pytest.raises(DomainError) as refused:
        create_prescription(
            _direct(world, ooa_product, justification="Sortimentet räcker inte."),
            actor=world.actor(world.prescriber, world.unit),
        )
    assert ("OOA-1", "article_number") in _problems(refused)
    assert not Prescription.objects.exists()


@pytest.mark.rule("OOA-1")
def test_a_prescription_authorised_by_a_case_still_needs_the_justification(
    world: World, ooa_product: Any
) -> None:
    with pytest.raises(DomainError) as refused:
        create_prescription(
            _direct(world, ooa_product),
            actor=world.actor(world.prescriber, world.unit),
            authorised_by_case=True,
        )
    assert _problems(refused) == [("OOA-1", "justification")]
    assert not Prescription.objects.exists()


@pytest.mark.rule("ACC-3")
@pytest.mark.parametrize("kind", KINDS_WITHOUT_PATIENT)
def test_a_case_outside_the_prescribers_areas_is_refused_when_sent(
    world: World, asylum_unit: Any, kind: Any
) -> None:
    draft = f.case_draft(kind, product=world.nutrition_product)

    with pytest.raises(DomainError) as refused:
        submit_case(draft, actor=world.actor(world.prescriber, world.unit))

    assert ("ACC-3", "article_number") in _problems(refused)
    assert not Case.objects.exists()


@pytest.mark.rule("ACC-3")
@pytest.mark.parametrize("kind", ["asylum", "without_permit"])
def test_approval_refuses_an_area_the_prescriber_no_longer_holds_at_their_unit(
    world: World, asylum_unit: Any, agent: Any, kind: Any
) -> None:
    case = f.make_case(kind, user=world.dietitian, unit=world.unit, product=world.nutrition_product)
    # the head of unit's changed access took nutrition away before customer service decided
    Membership.objects.get(user=world.dietitian, unit=world.unit).areas.remove(
        world.nutrition_product.area
    )

    with pytest.raises(DomainError) as refused:
        approve_case(case, actor=agent)

    assert _problems(refused) == [("ACC-3", "article_number")]
    assert "Nutrition" in refused.value.problems[0].message
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert not Membership.objects.filter(user=world.dietitian, unit=asylum_unit).exists()
    assert not Prescription.objects.exists()
