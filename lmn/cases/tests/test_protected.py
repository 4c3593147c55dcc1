"""Protected personal data (SKYDD-1..SKYDD-10)."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.audit.models import AuditEvent
from lmn.cases.models import Case
from lmn.cases.services import approve_case
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound
from lmn.delivery.details import DeliveryRequest
from lmn.patients.models import IdentityKind
from lmn.patients.services import (
    find_patient_by_identifier,
    get_patient,
    sync_protection_from_register,
)
from lmn.prescriptions.queries import prescriptions_visible_to
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.labels import label_html
from lmn.withdrawals.protected import protected_rows, protected_withdrawals_of_unit
from lmn.withdrawals.queries import withdrawals_visible_to
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal


def codes(err: Any) -> Any:
    return {p.code for p in err.value.problems}


@pytest.fixture
def approved(world: World, agent: Any) -> Any:
    case = f.make_case(
        "protected_identity",
        user=world.prescriber,
        unit=world.unit,
        product=world.diabetes_product,
    )
    return approve_case(case, actor=agent)


def to_unit(
    world: World,
    approved: Any,
    *,
    care_of: Any = "Sjuksköterska Berg",
    quantity: Any = 10,
    **kw: Any,
) -> Any:
    return place_withdrawal(
        WithdrawalDraft(
            patient=approved.patient,
            lines=[LineDraft(approved.prescription.pk, quantity)],
            delivery=DeliveryRequest(destination="unit", care_of=care_of, **kw),
        ),
        actor=world.actor(world.prescriber),
    )[0]


@pytest.mark.rule("SKYDD-2")
def test_the_protected_case_refuses_patient_details(world: World) -> None:
    with pytest.raises(DomainError) as err:
        f.make_case(
            "protected_identity",
            user=world.prescriber,
            unit=world.unit,
            product=world.diabetes_product,
            first_name="Anna",
            patient=world.patient,
        )
    assert codes(err) == {"SKYDD-2"}
    assert {p.field for p in err.value.problems} == {"first_name", "patient_id"}
    assert not Case.objects.exists()


@pytest.mark.rule("SKYDD-2")
def test_approval_makes_a_pseudonymous_record_bound_to_the_unit(
    approved: Any, world: World
) -> None:
    patient = approved.patient
    assert patient.identity_kind == IdentityKind.PROTECTED
    assert (patient.protected, patient.protected_unit) == (True, world.unit)
    assert world.unit.name in patient.name  # the unit stands as recipient
    assert (patient.street, patient.city) == (world.unit.street, world.unit.city)
    assert approved.prescription.single_withdrawal is True
    # a new prescription for the pseudonym again goes by case
    with pytest.raises(DomainError) as err:
        create_prescription(
            PrescriptionDraft(
                patient=patient,
                product=world.diabetes_product,
                consumption_amount=1,
                consumption_period="day",
            ),
            actor=world.actor(world.prescriber),
        )
    assert "SKYDD-2" in codes(err)


@pytest.mark.rule("SKYDD-3")
def test_such_a_prescription_allows_exactly_one_withdrawal(world: World, approved: Any) -> None:
    to_unit(world, approved, quantity=5)
    with pytest.raises(DomainError) as err:
        to_unit(world, approved, quantity=1)
    assert codes(err) == {"SKYDD-3"}


@pytest.mark.rule("SKYDD-4")
@pytest.mark.rule("SKYDD-5")
def test_delivery_goes_to_the_unit_cof_the_responsible_with_the_prescribers_contact(
    world: World, approved: Any
) -> None:
    w = to_unit(world, approved, phone="0701111111", email="patient@example.se")
    assert (w.destination, w.street, w.city) == ("unit", world.unit.street, world.unit.city)
    assert w.care_of == "Sjuksköterska Berg"
    assert (w.phone, w.email) == ("+46311234567", world.prescriber.email)  # 031-123 45 67
    assert approved.contact_email == world.prescriber.email  # SKYDD-4 on the case too


@pytest.mark.rule("SKYDD-5")
def test_home_delivery_or_no_cof_is_refused(world: World, approved: Any) -> None:
    with pytest.raises(DomainError) as err:
        place_withdrawal(
            WithdrawalDraft(
                patient=approved.patient,
                lines=[LineDraft(approved.prescription.pk, 5)],
                delivery=DeliveryRequest(destination="door"),
            ),
            actor=world.actor(world.prescriber),
        )
    assert codes(err) == {"SKYDD-5"}
    with pytest.raises(DomainError) as err:
        to_unit(world, approved, care_of=" ")
    assert codes(err) == {"SKYDD-5"}


@pytest.mark.rule("SKYDD-5")
def test_the_case_needs_the_responsible_person_and_the_prescribers_contact(world: World) -> None:
    world.prescriber.phone = ""
    world.prescriber.save()
    with pytest.raises(DomainError) as err:
        f.make_case(
            "protected_identity",
            user=world.prescriber,
            unit=world.unit,
            product=world.diabetes_product,
            care_of="",
        )
    assert codes(err) == {"SKYDD-4", "SKYDD-5"}


@pytest.mark.rule("SKYDD-6")
def test_the_label_shows_unit_prescriber_and_address_only(world: World) -> None:
    # a real person protected inside the unit: the label must not show them
    patient = f.make_patient(
        f.PERSONNUMMER[1],
        first_name="Hemlig",
        last_name="Persson",
        street="Dolda vägen 9",
        protected=True,
        protected_unit=world.unit,
    )
    rx = f.make_prescription(
        patient=patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    w = place_withdrawal(
        WithdrawalDraft(
            patient=patient,
            lines=[LineDraft(rx.pk, 5)],
            delivery=DeliveryRequest(destination="unit", care_of="Syster Berg"),
        ),
        actor=world.actor(world.prescriber),
    )[0]
    html = label_html(w)
    assert world.unit.name in html and world.prescriber.get_full_name() in html
    assert world.unit.street in html and "c/o Syster Berg" in html
    for secret in ("Hemlig", "Persson", "Dolda", "194512242498", world.prescriber.phone):
        assert secret not in html


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-7")
def test_register_sync_locks_an_existing_patient_for_everyone(world: World) -> None:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    f.register_person(world.patient.identifier, protected=True)
    assert sync_protection_from_register(actor=Actor.system("register-sync")) == 1
    assert sync_protection_from_register(actor=Actor.system("register-sync")) == 0  # once
    for user in (world.prescriber, world.outsider, world.customer_service, world.doctor):
        actor = world.actor(user)
        assert find_patient_by_identifier(world.patient.identifier, actor=actor) is None
        with pytest.raises(NotFound):
            get_patient(world.patient.pk, actor=actor)
        assert not prescriptions_visible_to(actor).filter(pk=rx.pk).exists()
        assert not withdrawals_visible_to(actor).filter(patient=world.patient).exists()
    assert AuditEvent.objects.filter(action="patients.patient.protected").count() == 1


@pytest.mark.rule("SKYDD-7")
def test_after_locking_prescribing_starts_anew_by_case(world: World, agent: Any) -> None:
    f.register_person(world.patient.identifier, protected=True)
    sync_protection_from_register(actor=Actor.system("register-sync"))
    case = f.make_case(
        "protected_identity", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    fresh = approve_case(case, actor=agent).patient
    assert fresh != world.patient and fresh.protected_unit == world.unit


@pytest.mark.rule("SKYDD-9")
def test_the_units_customer_number_lists_its_protected_withdrawals(
    world: World, approved: Any
) -> None:
    # SKYDD-8 (the number first, for the journal) is shown in the portal:
    # lmn/web/tests/test_protected_journal.py
    w = to_unit(world, approved)
    found = protected_withdrawals_of_unit("602154", actor=world.actor(world.prescriber))
    assert found == [w]
    row = protected_rows(found)[0]
    assert row.number == w.number
    assert any(world.diabetes_product.name in p for p in row.products)


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-9")
def test_another_units_number_lists_nothing(world: World, approved: Any) -> None:
    to_unit(world, approved)
    outsider = world.actor(world.outsider)
    assert protected_withdrawals_of_unit("602154", actor=outsider) == []
    assert protected_withdrawals_of_unit("604500", actor=outsider) == []
    with pytest.raises(DomainError):
        protected_withdrawals_of_unit("60215", actor=outsider)


@pytest.mark.rule("SKYDD-10")
def test_a_withdrawal_number_shows_its_products_inside_the_unit(
    world: World, approved: Any
) -> None:
    w = to_unit(world, approved)
    inside = withdrawals_visible_to(world.actor(world.prescriber)).get(number=w.number)
    assert [line.product for line in inside.lines.all()] == [world.diabetes_product]
    assert not withdrawals_visible_to(world.actor(world.outsider)).filter(number=w.number).exists()
