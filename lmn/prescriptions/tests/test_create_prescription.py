"""Registering prescriptions (GEN-2, GEN-6, ACC-2, ACC-3, CH-1, CH-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lmn.audit.models import AuditEvent
from lmn.catalog.queries import search_products
from lmn.core import clock
from lmn.core.errors import DomainError, PermissionDenied
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.testing import factories as f
from lmn.testing.types import World


def draft(world: World, product: Any, **kw: Any) -> Any:
    values = {"patient": world.patient, "consumption_amount": 2, "consumption_period": "day"}
    values.update(kw)
    return PrescriptionDraft(product=product, **values)


@pytest.mark.rule("GEN-2")
def test_a_saved_prescription_gives_the_reference_to_document(world: World) -> None:
    p = create_prescription(
        draft(world, world.diabetes_product), actor=world.actor(world.prescriber)
    )
    assert p.reference == f"F{p.pk:08d}"
    assert p.valid_until == clock.add_months(p.valid_from, 12)
    assert p.max_supply_days == 90
    event = AuditEvent.objects.get(action="prescriptions.prescription.created")
    assert event.patient_id == world.patient.pk


@pytest.mark.rule("ACC-3")
def test_a_prescriber_prescribes_only_in_their_product_areas(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        create_prescription(
            draft(world, world.nutrition_product), actor=world.actor(world.prescriber)
        )
    assert refused.value.code == "ACC-3"
    assert "Nutrition" in refused.value.problems[0].message
    assert create_prescription(
        draft(world, world.nutrition_product), actor=world.actor(world.dietitian)
    )


@pytest.mark.rule("ACC-2")
def test_a_doctor_prescribes_in_every_area_without_area_permissions(world: World) -> None:
    assert world.doctor.memberships.get().areas.count() == 0
    for code in f.ALL_AREAS:
        create_prescription(draft(world, f.make_product(code)), actor=world.actor(world.doctor))
    assert Prescription.objects.filter(prescriber=world.doctor).count() == 5


@pytest.mark.rule("ACC-2")
def test_an_orderer_cannot_prescribe(world: World) -> None:
    with pytest.raises(PermissionDenied) as refused:
        create_prescription(draft(world, world.diabetes_product), actor=world.actor(world.orderer))
    assert refused.value.code == "ACC-2"


@pytest.mark.rule("CH-2")
def test_diabetes_for_a_patient_outside_the_region_is_refused_with_the_pharmacy_route(
    world: World,
) -> None:
    stockholm = f.make_patient(f.PERSONNUMMER[4], resident_region="OTHER")
    with pytest.raises(DomainError) as refused:
        create_prescription(
            draft(world, world.diabetes_product, patient=stockholm),
            actor=world.actor(world.prescriber),
        )
    assert refused.value.code == "CH-2"
    assert "hjälpmedelskort" in refused.value.problems[0].message


@pytest.mark.rule("CH-1")
def test_incontinence_for_a_patient_outside_the_region_goes_by_form(world: World) -> None:
    halland = f.make_patient(f.PERSONNUMMER[3], resident_region="HALLAND")
    with pytest.raises(DomainError) as refused:
        create_prescription(
            draft(world, f.make_product("incontinence"), patient=halland),
            actor=world.actor(world.prescriber),
        )
    assert refused.value.code == "CH-1"


@pytest.mark.parametrize(
    "kw,code",
    [
        ({"consumption_amount": 0}, "invalid_consumption"),
        ({"consumption_amount": 10**9}, "invalid_consumption"),
        ({"consumption_period": "year"}, "invalid_consumption_period"),
        ({"valid_from": dt.date(2000, 1, 1)}, "date_in_past"),
        ({"valid_until": dt.date(2099, 1, 1)}, "invalid_validity"),
        ({"max_supply_days": 365}, "invalid_max_supply"),
        ({"instructions": "x" * 501}, "too_long"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(world: World, kw: Any, code: Any) -> None:
    with pytest.raises(DomainError) as refused:
        create_prescription(
            draft(world, world.diabetes_product, **kw), actor=world.actor(world.prescriber)
        )
    assert code in {p.code for p in refused.value.problems}
    assert Prescription.objects.count() == 0


@pytest.mark.rule("GEN-6")
def test_catalogue_search_finds_by_name_or_article_number_with_recommended_first(
    world: World,
) -> None:
    plain = f.make_product("diabetes", name="Lansett Fin", article_number="123450")
    rek = f.make_product("diabetes", name="Lansett Bas", article_number="123451", recommended=True)
    f.make_product("nutrition", name="Lansett i fel område")
    by_name = list(search_products("lansett", areas=world.actor(world.prescriber).areas))
    assert by_name[:2] == [rek, plain]
    assert list(search_products("12345", areas={"diabetes"})) == [rek, plain]
