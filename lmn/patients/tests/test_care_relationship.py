"""Inner secrecy across units and care providers (PDL-1) and blocks (PDL-2), in the
domain queries that portal, API and FHIR all read through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.audit.models import AuditEvent
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, PermissionDenied
from lmn.delivery.details import DeliveryRequest
from lmn.organisations.models import CareProvider
from lmn.patients.models import CareRelationship
from lmn.patients.services.care import lift_block, register_block, state_care_relationship
from lmn.prescriptions.queries import prescriptions_of, prescriptions_visible_to
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.elsewhere import records_elsewhere
from lmn.withdrawals.queries import withdrawals_visible_to
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Iterator[Any]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def rx(world: World) -> Any:
    """A prescription the home unit (602154) made."""
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


def municipal_nurse(world: World) -> Actor:
    """A prescriber at a municipality's home care: another care provider."""
    unit = f.make_unit(
        name="Hemsjukvården Kommunen",
        kind="home_care",
        provider_kind=CareProvider.Kind.MUNICIPALITY,
    )
    return world.actor(f.make_user("kommunsjukskoterska", unit=unit))


def sees(actor: Actor, rx: Any) -> bool:
    return prescriptions_visible_to(actor).filter(pk=rx.pk).exists()


@pytest.mark.rule("PDL-1")
def test_own_unit_sees_its_prescriptions_without_a_relationship(world: World, rx: Any) -> None:
    actor = world.actor(world.doctor)
    assert sees(actor, rx)
    assert list(prescriptions_of(world.patient, actor=actor)) == [rx]


@pytest.mark.rule("PDL-1")
def test_another_unit_sees_them_after_stating_a_care_relationship_for_the_day(
    world: World, rx: Any
) -> None:
    outsider = world.actor(world.outsider)
    assert not sees(outsider, rx)
    assert records_elsewhere(world.patient, actor=outsider).prescriptions == 1

    state_care_relationship(world.patient, reason="Besök på mottagningen", actor=outsider)

    assert sees(outsider, rx)
    assert list(prescriptions_of(world.patient, actor=outsider)) == [rx]
    assert not records_elsewhere(world.patient, actor=outsider).any
    # another user of the same unit has stated nothing
    colleague = world.actor(f.make_user("kollega", unit=world.other_unit))
    assert not sees(colleague, rx)
    # valid for the working day only
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        assert not sees(outsider, rx)


@pytest.mark.rule("PDL-1")
def test_another_care_provider_needs_the_patients_consent(world: World, rx: Any) -> None:
    nurse = municipal_nurse(world)
    assert records_elsewhere(world.patient, actor=nurse).other_provider

    state_care_relationship(world.patient, reason="Hembesök", actor=nurse)
    assert not sees(nurse, rx)

    state_care_relationship(world.patient, reason="Hembesök", consent=True, actor=nurse)
    assert sees(nurse, rx)


@pytest.mark.rule("PDL-1")
def test_the_statement_is_audited_and_flagged_for_follow_up(world: World, rx: Any) -> None:
    outsider = world.actor(world.outsider)
    relationship = state_care_relationship(
        world.patient, reason="  Telefonrådgivning  ", actor=outsider
    )
    event = AuditEvent.objects.get(action="patients.care_relationship")
    assert relationship.reason == "Telefonrådgivning"
    assert event.patient_id == world.patient.pk
    assert event.unit_number == "604500"
    assert event.data["follow_up"] is True
    assert event.data["reason"] == "Telefonrådgivning"


@pytest.mark.rule("PDL-1")
@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_relationship_without_a_reason_is_refused_and_nothing_written(
    world: World, rx: Any, reason: str
) -> None:
    with pytest.raises(DomainError) as refused:
        state_care_relationship(world.patient, reason=reason, actor=world.actor(world.outsider))
    assert refused.value.problems[0].field == "reason"
    assert not CareRelationship.objects.exists()
    assert not AuditEvent.objects.filter(action="patients.care_relationship").exists()


@pytest.mark.rule("PDL-1")
def test_customer_service_keeps_its_scope_and_the_auditor_reads_no_records(
    world: World, rx: Any
) -> None:
    assert sees(world.actor(world.customer_service), rx)
    auditor = world.actor(f.make_user("granskare", unit=None, role=Role.AUDITOR))
    assert not sees(auditor, rx)
    with pytest.raises(PermissionDenied):
        state_care_relationship(world.patient, reason="Nyfiken", actor=auditor)
    with pytest.raises(PermissionDenied):
        state_care_relationship(
            world.patient, reason="Ärende", actor=world.actor(world.customer_service)
        )


@pytest.mark.rule("PDL-1")
def test_withdrawals_of_other_units_follow_the_same_rule(world: World, rx: Any) -> None:
    withdrawal = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient, lines=[LineDraft(rx.pk, 10)], delivery=DeliveryRequest()
        ),
        actor=world.actor(world.prescriber),
    )[0]
    outsider = world.actor(world.outsider)
    assert not withdrawals_visible_to(outsider).filter(pk=withdrawal.pk).exists()
    assert records_elsewhere(world.patient, actor=outsider).withdrawals == 1
    state_care_relationship(world.patient, reason="Uppföljning", actor=outsider)
    assert withdrawals_visible_to(outsider).filter(pk=withdrawal.pk).exists()


@pytest.mark.rule("PDL-1")
def test_another_units_prescription_cannot_be_ordered_on_without_a_relationship(
    world: World, rx: Any
) -> None:
    draft = WithdrawalDraft(
        patient=world.patient, lines=[LineDraft(rx.pk, 10)], delivery=DeliveryRequest()
    )
    outsider = world.actor(world.outsider)
    with pytest.raises(DomainError) as refused:
        place_withdrawal(draft, actor=outsider)
    assert refused.value.code == "prescription_not_found"
    state_care_relationship(world.patient, reason="Beställer åt patienten", actor=outsider)
    assert place_withdrawal(draft, actor=outsider)[0].ordering_unit == world.other_unit


def block_home_unit(world: World) -> Any:
    return register_block(
        world.patient,
        unit=world.unit,
        reason="Patienten begär spärr",
        actor=world.actor(world.customer_service),
    )


@pytest.mark.rule("PDL-2")
def test_a_blocked_units_data_stay_hidden_even_with_a_care_relationship(
    world: World, rx: Any
) -> None:
    block_home_unit(world)
    outsider = world.actor(world.outsider)
    state_care_relationship(world.patient, reason="Besök", consent=True, actor=outsider)
    assert not sees(outsider, rx)
    assert records_elsewhere(world.patient, actor=outsider).blocked
    # the blocked unit itself still sees its own
    assert sees(world.actor(world.prescriber), rx)


@pytest.mark.rule("PDL-2")
def test_emergency_access_opens_blocked_data_and_is_always_followed_up(
    world: World, rx: Any
) -> None:
    block_home_unit(world)
    nurse = municipal_nurse(world)
    with pytest.raises(DomainError) as refused:
        state_care_relationship(world.patient, reason=" ", emergency=True, actor=nurse)
    assert refused.value.code == "reason_required"
    assert not sees(nurse, rx)

    state_care_relationship(
        world.patient, reason="Medvetslös, behöver veta hjälpmedel", emergency=True, actor=nurse
    )
    assert sees(nurse, rx)
    event = AuditEvent.objects.get(action="patients.emergency_access")
    assert event.data["emergency"] is True and event.data["follow_up"] is True


@pytest.mark.rule("PDL-2")
def test_only_customer_service_registers_a_block_once_and_lifting_it_reopens(
    world: World, rx: Any
) -> None:
    with pytest.raises(PermissionDenied):
        register_block(world.patient, unit=world.unit, actor=world.actor(world.prescriber))
    block = block_home_unit(world)
    with pytest.raises(DomainError) as twice:
        block_home_unit(world)
    assert twice.value.code == "already_blocked"
    outsider = world.actor(world.outsider)
    state_care_relationship(world.patient, reason="Besök", actor=outsider)
    assert not sees(outsider, rx)

    lift_block(block, actor=world.actor(world.customer_service))
    assert sees(outsider, rx)
    assert AuditEvent.objects.filter(action="patients.block.lifted").count() == 1
