"""The auditor's follow-up views against known accesses (PDL-3) and the patient's log
extract against the audit events (PDL-4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.audit.models import AuditEvent
from lmn.audit.services import record
from lmn.core.actor import Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.logreview import followup
from lmn.logreview.extract import log_extract_for
from lmn.logreview.models import ReviewMark
from lmn.logreview.services import mark_reviewed
from lmn.organisations.models import CareProvider
from lmn.patients.services import get_patient
from lmn.patients.services.care import register_block, state_care_relationship
from lmn.testing import factories as f
from lmn.testing.types import World

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Iterator[Any]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def auditor(world: World) -> Any:
    return world.actor(f.make_user("granskare", unit=None, role=Role.AUDITOR))


@pytest.fixture
def known(world: World) -> dict[str, Any]:
    """Known accesses: the home prescriber reads and prescribes, a municipal nurse states
    a relationship with consent and then an emergency access, a protected patient is read
    in their unit."""
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    get_patient(world.patient.pk, actor=world.actor(world.prescriber))
    municipality = f.make_unit(
        name="Hemsjukvården", kind="home_care", provider_kind=CareProvider.Kind.MUNICIPALITY
    )
    nurse_user = f.make_user("sjukskoterska", unit=municipality)
    nurse_user.first_name, nurse_user.last_name = "Sara", "Sjöström"
    nurse_user.save()
    nurse = world.actor(nurse_user)
    state_care_relationship(world.patient, reason="Hembesök", consent=True, actor=nurse)
    register_block(world.patient, unit=world.unit, actor=world.actor(world.customer_service))
    state_care_relationship(world.patient, reason="Akut", emergency=True, actor=nurse)
    protected = f.make_patient(f.PERSONNUMMER[3], protected=True, protected_unit=world.unit)
    get_patient(protected.pk, actor=world.actor(world.prescriber))
    return {"rx": rx, "nurse": nurse, "municipality": municipality, "protected": protected}


def actions(events: Any) -> list[str]:
    return [e.action for e in events]


@pytest.mark.rule("PDL-3")
def test_each_follow_up_view_finds_the_known_accesses(world: World, known: dict[str, Any]) -> None:
    nurse = known["nurse"]
    to_patient = followup.to_patient(world.patient)
    assert AuditEvent.objects.filter(patient_id=world.patient.pk).count() == to_patient.count()
    assert set(actions(followup.by_user(nurse.hsa_id))) == {
        "patients.care_relationship",
        "patients.emergency_access",
    }
    assert actions(followup.outside_own_unit()) == [
        "patients.emergency_access",
        "patients.care_relationship",
    ]
    assert actions(followup.emergency()) == ["patients.emergency_access"]
    assert {e.patient_id for e in followup.protected_identities()} == {known["protected"].pk}
    # a period before the accesses finds none
    assert not followup.to_patient(world.patient, until=dt.date(2026, 11, 22)).exists()


@pytest.mark.rule("PDL-3")
def test_unusual_volume_names_the_user_who_stands_out(world: World) -> None:
    busy = world.actor(world.prescriber)
    quiet = [world.actor(f.make_user(f"kollega{i}", unit=world.unit)) for i in range(3)]
    patients = [f.make_patient(pnr) for pnr in f.PERSONNUMMER[1:5]]
    for p in patients:
        record("patients.patient.read", actor=busy, patient=p)
    for actor in quiet:
        record("patients.patient.read", actor=actor, patient=patients[0])
    [standing_out] = followup.unusual_volume(factor=2, floor=3)
    assert standing_out.hsa_id == busy.hsa_id
    assert standing_out.patients == 4
    assert followup.unusual_volume(factor=2, floor=5) == []


@pytest.mark.rule("PDL-3")
def test_the_random_sample_is_of_the_unit_and_month_and_repeatable(world: World) -> None:
    actor = world.actor(world.prescriber)
    for _ in range(15):
        record("patients.patient.read", actor=actor, patient=world.patient)
    record("patients.patient.read", actor=world.actor(world.outsider), patient=world.patient)
    sample = followup.random_sample("602154", 2026, 11, size=5)
    assert len(sample) == 5
    assert {e.unit_number for e in sample} == {"602154"}
    assert sample == followup.random_sample("602154", 2026, 11, size=5)
    assert followup.random_sample("602154", 2026, 10) == []


@pytest.mark.rule("PDL-3")
def test_marking_reviewed_is_audited_and_needs_a_comment_and_an_auditor(
    world: World, known: dict[str, Any], auditor: Any
) -> None:
    event = followup.emergency().get()
    with pytest.raises(DomainError):
        mark_reviewed(event.pk, comment=" ", actor=auditor)
    with pytest.raises(PermissionDenied):
        mark_reviewed(event.pk, comment="ok", actor=world.actor(world.customer_service))
    with pytest.raises(NotFound):
        mark_reviewed(999_999, comment="ok", actor=auditor)
    mark = mark_reviewed(event.pk, comment="Akut situation, styrkt i journal", actor=auditor)
    assert followup.reviews_of([event.pk]) == {event.pk: mark}
    assert ReviewMark.objects.count() == 1
    audit = AuditEvent.objects.get(action="logreview.event.reviewed")
    assert audit.data["event"] == event.pk


@pytest.mark.rule("PDL-4")
def test_the_extract_lists_every_access_with_who_unit_provider_and_what(
    world: World, known: dict[str, Any]
) -> None:
    extract = log_extract_for(world.patient)
    events = AuditEvent.objects.filter(patient_id=world.patient.pk, outcome="ok").order_by("id")
    assert [row.event_id for row in extract] == [e.pk for e in events]
    emergency = next(r for r in extract if r.what == "Nödåtkomst")
    assert emergency.who == "Sara Sjöström"
    assert emergency.title == "Förskrivare"
    assert emergency.unit == "Hemsjukvården"
    assert emergency.care_provider == known["municipality"].care_provider.name
    prescribed = next(r for r in extract if r.what == "Förskrev")
    assert prescribed.unit == "Vårdcentralen Hjärtat"
    assert prescribed.care_provider == "Västra Götalandsregionen"


@pytest.mark.rule("PDL-4")
def test_a_protected_identitys_extract_never_names_another_patient(
    world: World, known: dict[str, Any]
) -> None:
    protected = known["protected"]
    record(
        "withdrawals.joint_order.read",
        actor=world.actor(world.prescriber),
        patient=protected,
        data={"patients": [world.patient.pk], "name": world.patient.name},
    )
    rows = log_extract_for(protected)
    assert rows[-1].what == "Läste en sambeställning"
    assert world.patient.name not in repr(rows)
