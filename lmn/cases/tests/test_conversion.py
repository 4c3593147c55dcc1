"""Identity conversion by customer service (ASYL-7, UT-6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lmn.audit.models import AuditEvent
from lmn.cases.conversion import NewIdentity, convert_identity
from lmn.cases.services import approve_case
from lmn.core import clock
from lmn.core.errors import DomainError, PermissionDenied
from lmn.delivery.details import DeliveryRequest
from lmn.patients.models import Patient, PatientAlias
from lmn.patients.services import find_patient_by_identifier
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

NEW_PNR = f.PERSONNUMMER[4]  # 198802141427


def asylum_patient_with_history(world: World, agent: Any) -> Any:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    approved = approve_case(case, actor=agent)
    assert approved.patient is not None
    place_withdrawal(
        WithdrawalDraft(
            patient=approved.patient,
            lines=[LineDraft(approved.prescription.pk, 10)],
            delivery=DeliveryRequest(street="Asylvägen 2", postcode="41301", city="Göteborg"),
        ),
        actor=world.actor(world.prescriber, f.make_asylum_unit()),
    )
    return approved.patient


@pytest.mark.rule("ASYL-7")
def test_lma_to_personnummer_moves_the_whole_history_in_one_audited_step(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    old = asylum_patient_with_history(world, agent)
    f.register_person(NEW_PNR, first_name="Amina", last_name="Yusuf")

    new = convert_identity(old, NewIdentity(kind="personnummer", identifier=NEW_PNR), actor=agent)

    assert (new.identity_kind, new.identifier) == ("personnummer", NEW_PNR)
    assert Prescription.objects.filter(patient=new).count() == 1
    assert Withdrawal.objects.filter(patient=new).count() == 1
    assert not Prescription.objects.filter(patient=old).exists()
    event = AuditEvent.objects.get(action="patients.identity.converted")
    assert (event.data["from_identifier"], event.data["to_identifier"]) == ("50008920", NEW_PNR)
    assert (event.data["prescriptions"], event.data["withdrawals"]) == (1, 1)
    # the old identity resolves to the new record
    actor = world.actor(world.prescriber, world.unit)
    assert find_patient_by_identifier("50-008920/4", actor=actor) == new
    assert find_patient_by_identifier(NEW_PNR, actor=actor) == new


@pytest.mark.rule("ASYL-7")
def test_a_personnummer_not_yet_in_the_register_needs_the_name(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    old = asylum_patient_with_history(world, agent)
    with pytest.raises(DomainError) as err:
        convert_identity(old, NewIdentity(kind="personnummer", identifier=NEW_PNR), actor=agent)
    assert err.value.code == "not_in_register"
    new = convert_identity(
        old,
        NewIdentity(kind="personnummer", identifier=NEW_PNR, first_name="Amina", last_name="Yusuf"),
        actor=agent,
    )
    assert new.name == "Amina Yusuf" and new.birth_date == dt.date(1988, 2, 14)


@pytest.mark.rule("UT-6")
def test_ut_to_lma_and_later_to_personnummer_keeps_every_old_identity(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    case = f.make_case(
        "without_permit", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    ut = approve_case(case, actor=agent).patient
    assert ut is not None
    ut_identifier = ut.identifier
    lma = convert_identity(
        ut,
        NewIdentity(
            kind="lma",
            identifier="50-123456/1",
            lma_valid_until=clock.today() + dt.timedelta(days=90),
        ),
        actor=agent,
    )
    assert (lma.identity_kind, lma.identifier, lma.name) == ("lma", "50123456", "Omar Haddad")
    assert Prescription.objects.filter(patient=lma).count() == 1
    f.register_person(NEW_PNR, first_name="Omar", last_name="Haddad")
    pnr = convert_identity(lma, NewIdentity(kind="personnummer", identifier=NEW_PNR), actor=agent)
    assert set(PatientAlias.objects.values_list("identifier", flat=True)) == {
        ut_identifier,
        "50123456",
    }
    assert set(PatientAlias.objects.values_list("patient", flat=True)) == {pnr.pk}
    actor = world.actor(world.prescriber, world.unit)
    assert find_patient_by_identifier("50-123456", actor=actor) == pnr


@pytest.mark.rule("ASYL-7")
@pytest.mark.rule("UT-6")
def test_a_conversion_to_an_identity_with_history_is_refused_and_changes_nothing(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    old = asylum_patient_with_history(world, agent)
    f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    before = list(Prescription.objects.order_by("pk").values_list("pk", "patient"))
    with pytest.raises(DomainError) as err:
        convert_identity(
            old,
            NewIdentity(kind="personnummer", identifier=world.patient.identifier),
            actor=agent,
        )
    assert err.value.code == "identity_has_history"
    assert list(Prescription.objects.order_by("pk").values_list("pk", "patient")) == before
    old.refresh_from_db()
    assert (old.identity_kind, old.identifier, old.converted_to) == ("lma", "50008920", None)
    assert not PatientAlias.objects.exists()
    assert not AuditEvent.objects.filter(action="patients.identity.converted").exists()


def test_only_customer_service_converts_and_only_the_routines_conversions(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    old = asylum_patient_with_history(world, agent)
    with pytest.raises(PermissionDenied):
        convert_identity(
            old,
            NewIdentity(kind="personnummer", identifier=NEW_PNR),
            actor=world.actor(world.prescriber, world.unit),
        )
    with pytest.raises(DomainError) as err:
        convert_identity(
            world.patient, NewIdentity(kind="lma", identifier="50-000001"), actor=agent
        )
    assert err.value.code == "conversion_not_allowed"
    with pytest.raises(DomainError) as err:
        convert_identity(
            old, NewIdentity(kind="personnummer", identifier="19121212-1213"), actor=agent
        )
    assert err.value.code == "invalid_personal_number"
    assert Patient.objects.get(pk=old.pk).identity_kind == "lma"
