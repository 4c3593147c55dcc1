"""Asylum seekers and persons without permit: the digital form, registration, later
prescribing at 601628 and search (ASYL-1..ASYL-6, UT-1..UT-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.accounts.models import Membership
from lmn.audit.models import AuditEvent
from lmn.cases.models import Case
from lmn.cases.services import approve_case, submit_case
from lmn.cases.states import CaseStatus
from lmn.core import clock
from lmn.core.errors import DomainError
from lmn.patients.models import IdentityKind, Patient
from lmn.patients.services import find_patient_by_identifier, search_by_name_and_birth_date
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.testing import factories as f
from lmn.testing.types import World


def codes(err: pytest.ExceptionInfo[DomainError]) -> set[str]:
    return {p.code for p in err.value.problems}


def submit(world: World, kind: Any = "asylum", **overrides: Any) -> Any:
    return f.make_case(
        kind, user=world.prescriber, unit=world.unit, product=world.diabetes_product, **overrides
    )


@pytest.mark.rule("ASYL-1")
def test_an_asylum_seeker_is_not_found_by_register_search(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    # the register knows someone born the same day as the asylum seeker (1990-05-01),
    # with a full personnummer: a register search reaches them, never the asylum seeker
    f.register_person("199005011003", first_name="Lena", last_name="Berg")
    actor = world.actor(world.prescriber, world.unit)
    for typed in ("50-008920/4", "19900501"):  # LMA number, birth date as on the form
        assert find_patient_by_identifier(typed, actor=actor) is None
    assert list(Patient.objects.all()) == [world.patient]  # nothing was imported for them

    registered = approve_case(submit(world), actor=agent).patient  # ASYL-5
    found = find_patient_by_identifier("19900501-1003", actor=actor)
    assert found is not None and found != registered
    assert (found.name, found.identity_kind) == ("Lena Berg", "personnummer")
    assert registered.identity_kind == IdentityKind.LMA
    assert not Patient.objects.filter(first_name="Amina", identity_kind="personnummer").exists()


@pytest.mark.rule("ASYL-3")
@pytest.mark.rule("ASYL-4")
@pytest.mark.rule("ASYL-5")
def test_approving_an_asylum_case_registers_the_patient_and_prescribes_at_601628(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    case = submit(world)
    assert case.status == CaseStatus.SUBMITTED
    assert (case.lma_number, case.lma_card_sequence) == ("50008920", "4")
    assert not Membership.objects.filter(user=world.prescriber, unit=asylum_unit).exists()

    approved = approve_case(case, actor=agent)

    assert approved.status == CaseStatus.APPROVED
    patient = approved.patient
    assert (patient.identity_kind, patient.identifier) == ("lma", "50008920")
    assert patient.birth_date == dt.date(1990, 5, 1) and patient.lma_card_sequence == "4"
    assert approved.prescription.unit == asylum_unit  # invoiced there
    assert approved.prescription.care_cannot_wait is True  # ASYL-2 recorded
    granted = Membership.objects.get(user=world.prescriber, unit=asylum_unit)  # ASYL-4
    assert list(granted.areas.values_list("code", flat=True)) == ["diabetes"]
    assert AuditEvent.objects.filter(action="accounts.membership.granted").count() == 1
    assert AuditEvent.objects.filter(action="patients.patient.registered").count() == 1


@pytest.mark.rule("ASYL-4")
def test_a_prescriber_who_already_has_601628_is_not_granted_again(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    f.add_membership(world.prescriber, unit=asylum_unit, role="forskrivare", areas=["diabetes"])
    approve_case(submit(world), actor=agent)
    assert Membership.objects.filter(user=world.prescriber, unit=asylum_unit).count() == 1
    assert not AuditEvent.objects.filter(action="accounts.membership.granted").exists()


@pytest.mark.rule("ASYL-6")
@pytest.mark.parametrize("typed", ["50-008920/4", "50008920", "50-008920", " 50-008920/7 "])
def test_afterwards_the_lma_number_finds_the_patient_in_the_personnummer_field(
    world: World, asylum_unit: Any, agent: Any, typed: Any
) -> None:
    patient = approve_case(submit(world), actor=agent).patient
    assert (
        find_patient_by_identifier(typed, actor=world.actor(world.prescriber, world.unit))
        == patient
    )


@pytest.mark.rule("ASYL-6")
def test_afterwards_prescribing_works_as_usual_at_601628(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    patient = approve_case(submit(world), actor=agent).patient
    assert patient is not None
    actor = world.actor(world.prescriber, asylum_unit)
    draft = PrescriptionDraft(
        patient=patient,
        product=world.diabetes_product,
        consumption_amount=1,
        consumption_period="day",
        care_cannot_wait=True,
    )
    assert create_prescription(draft, actor=actor).unit == asylum_unit
    # from the prescriber's own unit it is refused: 601628 is invoiced
    with pytest.raises(DomainError) as err:
        create_prescription(draft, actor=world.actor(world.prescriber, world.unit))
    assert codes(err) == {"ASYL-3"}


@pytest.mark.rule("ASYL-2")
def test_an_adult_needs_the_recorded_decision_that_care_cannot_wait(world: World) -> None:
    with pytest.raises(DomainError) as err:
        submit(world, care_cannot_wait=None)
    assert codes(err) == {"ASYL-2"}
    assert not Case.objects.exists()


@pytest.mark.rule("ASYL-2")
@pytest.mark.rule("UT-1")
def test_a_child_needs_no_such_decision(world: World, asylum_unit: Any, agent: Any) -> None:
    child = clock.today().replace(year=clock.today().year - 10)
    case = submit(world, birth_date=child, care_cannot_wait=None)
    assert approve_case(case, actor=agent).prescription.care_cannot_wait is None
    ut = submit(world, "without_permit", birth_date=child, care_cannot_wait=None)
    assert approve_case(ut, actor=agent).status == CaseStatus.APPROVED


@pytest.mark.rule("ASYL-2")
def test_later_prescriptions_for_an_adult_also_need_the_decision(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    patient = approve_case(submit(world), actor=agent).patient
    assert patient is not None
    draft = PrescriptionDraft(
        patient=patient,
        product=world.diabetes_product,
        consumption_amount=1,
        consumption_period="day",
    )
    with pytest.raises(DomainError) as err:
        create_prescription(draft, actor=world.actor(world.prescriber, asylum_unit))
    assert codes(err) == {"ASYL-2"}


@pytest.mark.rule("ASYL-3")
@pytest.mark.parametrize("bad", ["50-00892", "5O-008920", "50-008920/", "50-008920/123", "", "x"])
def test_a_malformed_lma_number_is_refused(world: World, bad: Any) -> None:
    with pytest.raises(DomainError) as err:
        submit(world, lma_number=bad)
    assert codes(err) == {"invalid_lma_number"}
    assert not Case.objects.exists()


@pytest.mark.rule("ASYL-3")
def test_an_expired_lma_card_is_refused_with_its_date(world: World) -> None:
    expired = clock.today() - dt.timedelta(days=3)
    with pytest.raises(DomainError) as err:
        submit(world, lma_valid_until=expired)
    assert codes(err) == {"ASYL-3"}
    assert expired.isoformat() in err.value.problems[0].message


@pytest.mark.rule("ASYL-3")
def test_a_card_that_expired_before_approval_is_refused_then(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    case = submit(world)
    Case.objects.filter(pk=case.pk).update(lma_valid_until=clock.today() - dt.timedelta(days=1))
    with pytest.raises(DomainError) as err:
        approve_case(case, actor=agent)
    assert "ASYL-3" in codes(err)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED  # nothing changed
    assert not Patient.objects.filter(identity_kind="lma").exists()


def test_a_birth_date_in_the_future_is_refused(world: World) -> None:
    future = clock.today() + dt.timedelta(days=1)
    for kind in ("asylum", "without_permit"):
        with pytest.raises(DomainError) as err:
            submit(world, kind, birth_date=future)
        assert "birth_date_in_future" in codes(err)
    assert not Case.objects.exists()


@pytest.mark.rule("UT-2")
def test_a_ut_name_without_birth_date_is_refused(world: World) -> None:
    with pytest.raises(DomainError) as err:
        submit(world, "without_permit", last_name="Haddad - UT", birth_date=None)
    assert codes(err) == {"UT-2"}


@pytest.mark.rule("UT-1")
def test_an_adult_without_permit_needs_the_decision_too(world: World) -> None:
    with pytest.raises(DomainError) as err:
        submit(world, "without_permit", care_cannot_wait=False)
    assert codes(err) == {"UT-1"}


@pytest.mark.rule("UT-2")
@pytest.mark.rule("UT-3")
@pytest.mark.rule("UT-4")
def test_approving_a_ut_case_registers_birth_date_and_name_with_ut(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    case = submit(world, "without_permit", last_name="Haddad - UT")
    approved = approve_case(case, actor=agent)
    patient = approved.patient
    assert patient.identity_kind == "ut"
    assert patient.name == "Omar Haddad - UT"  # suffix once, even if typed
    assert patient.birth_date == dt.date(1985, 3, 3)
    assert patient.identifier.startswith("UT") and not patient.identifier.isdigit()
    assert patient.identifier_display == "19850303"
    assert approved.prescription.unit == asylum_unit
    assert Membership.objects.filter(user=world.prescriber, unit=asylum_unit).exists()  # UT-3


@pytest.mark.rule("UT-5")
@pytest.mark.parametrize("typed", ["Omar Haddad", "haddad", "Omar Haddad - UT", "  OMAR  "])
def test_a_ut_patient_is_found_by_advanced_search_on_name_and_birth_date(
    world: World, asylum_unit: Any, agent: Any, typed: Any
) -> None:
    patient = approve_case(submit(world, "without_permit"), actor=agent).patient
    found = search_by_name_and_birth_date(
        typed, dt.date(1985, 3, 3), actor=world.actor(world.prescriber, world.unit)
    )
    assert found == [patient]
    assert (
        search_by_name_and_birth_date(
            typed, dt.date(1985, 3, 4), actor=world.actor(world.prescriber, world.unit)
        )
        == []
    )


@pytest.mark.rule("UT-5")
def test_advanced_search_needs_name_and_birth_date(world: World) -> None:
    with pytest.raises(DomainError) as err:
        search_by_name_and_birth_date(" ", None, actor=world.actor(world.prescriber, world.unit))
    assert codes(err) == {"name_required", "birth_date_required"}


@pytest.mark.rule("UT-5")
def test_a_ut_patient_cannot_be_reached_by_a_personnummer_search(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    approve_case(submit(world, "without_permit"), actor=agent)
    actor = world.actor(world.prescriber, world.unit)
    assert find_patient_by_identifier("19850303", actor=actor) is None
    with pytest.raises(DomainError):
        find_patient_by_identifier("850303", actor=actor)


def test_only_a_prescriber_submits_cases(world: World) -> None:
    from lmn.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        submit_case(
            f.case_draft("asylum", product=world.diabetes_product),
            actor=world.actor(world.orderer),
        )


def test_the_decision_is_emailed_to_the_prescriber_without_patient_details(
    world: World,
    asylum_unit: Any,
    agent: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        approve_case(case, actor=agent)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.prescriber.email]
    assert case.reference in message.body and "godkänts" in message.subject
    assert "Amina" not in message.body and "008920" not in message.body
