"""Persons the register does not give LMN (PAT-1, PAT-2): residents of other regions and
samordningsnummer are not found by lookup; the outside-region case (CH-1) identifies them,
and customer service registers them on approval, as it registers asylum seekers."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.audit.models import AuditEvent
from lmn.cases.models import Case
from lmn.cases.services import approve_case
from lmn.core.errors import DomainError
from lmn.patients.models import Patient
from lmn.patients.services import find_patient_by_identifier
from lmn.testing import factories as f
from lmn.testing.types import World

STOCKHOLM = "198802141427"
SAMORDNINGSNUMMER = "191212721219"


def codes(err: pytest.ExceptionInfo[DomainError]) -> set[str]:
    return {p.code for p in err.value.problems}


def unlisted_case(world: World, product: Any, number: Any = STOCKHOLM, **overrides: Any) -> Any:
    return f.make_case(
        "outside_region",
        user=world.prescriber,
        unit=world.unit,
        product=product,
        personal_number=number,
        first_name="Johanna",
        last_name="Nilsson",
        **overrides,
    )


@pytest.mark.rule("PAT-1")
@pytest.mark.rule("CH-1")
def test_a_stockholm_resident_is_registered_by_customer_service_and_then_found(
    world: World, agent: Any
) -> None:
    f.register_person(STOCKHOLM, first_name="Reg", last_name="Ister", region="OTHER")
    prescriber = world.actor(world.prescriber)
    assert find_patient_by_identifier("19880214-1427", actor=prescriber) is None
    incontinence = f.make_product("incontinence")

    case = unlisted_case(world, incontinence, number="19880214-1427")
    assert (case.personal_number, case.patient) == (STOCKHOLM, None)
    approved = approve_case(case, actor=agent)

    patient = approved.patient
    assert (patient.identifier, patient.identity_kind) == (STOCKHOLM, "personnummer")
    assert (patient.name, patient.resident_region) == ("Johanna Nilsson", "OTHER")
    assert approved.prescription.patient == patient
    assert AuditEvent.objects.filter(action="patients.patient.registered").count() == 1
    assert find_patient_by_identifier("19880214-1427", actor=prescriber) == patient


@pytest.mark.rule("PAT-2")
@pytest.mark.rule("CH-1")
def test_a_samordningsnummer_is_registered_with_its_kind(world: World, agent: Any) -> None:
    f.register_person(SAMORDNINGSNUMMER, region="VG")  # even if the register knows it
    assert find_patient_by_identifier(SAMORDNINGSNUMMER, actor=world.actor(world.doctor)) is None
    case = unlisted_case(world, f.make_product("incontinence"), number="19121272-1219")
    patient = approve_case(case, actor=agent).patient
    assert (patient.identity_kind, patient.birth_date.isoformat()) == (
        "samordningsnummer",
        "1912-12-12",
    )


@pytest.mark.rule("CH-2")
def test_diabetes_for_an_unlisted_person_is_refused_with_the_pharmacy_explanation(
    world: World,
) -> None:
    with pytest.raises(DomainError) as err:
        unlisted_case(world, world.diabetes_product)
    assert codes(err) == {"CH-2"}
    assert "hjälpmedelskort" in err.value.problems[0].message
    assert not Case.objects.exists()


@pytest.mark.rule("PAT-1")
def test_the_case_is_not_for_someone_the_register_gives_lmn(world: World) -> None:
    f.register_person("197608080813", region="HALLAND")
    with pytest.raises(DomainError) as err:
        unlisted_case(world, f.make_product("incontinence"), number="19760808-0813")
    assert codes(err) == {"patient_in_register"}


def test_every_missing_identity_field_is_reported_at_once(world: World) -> None:
    with pytest.raises(DomainError) as err:
        f.make_case(
            "outside_region", user=world.prescriber, unit=world.unit, product=f.make_product()
        )
    assert codes(err) >= {"personal_number_required", "first_name_required", "last_name_required"}
    with pytest.raises(DomainError) as err:
        unlisted_case(world, f.make_product("incontinence"), number="19880214-1428")
    assert codes(err) == {"invalid_personal_number"}
    assert not Patient.objects.filter(identifier__startswith="1988").exists()
