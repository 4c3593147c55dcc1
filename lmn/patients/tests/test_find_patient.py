"""Finding patients by personnummer, through the population register (PAT-1, PAT-2, SKYDD)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lmn.audit.models import AuditEvent
from lmn.core.errors import DomainError, NotFound
from lmn.patients.models import Patient, RegisterRecord
from lmn.patients.services import find_patient_by_identifier, get_patient
from lmn.testing import factories as f
from lmn.testing.stored import rows_containing
from lmn.testing.types import World

# the register itself holds the person, by definition
REGISTER = (RegisterRecord,)


@pytest.mark.rule("PAT-1")
@pytest.mark.parametrize(
    "typed", ["19121212-1212", "191212121212", "121212+1212", " 19121212 - 1212 "]
)
def test_a_register_person_is_found_by_any_common_format_and_imported_once(
    world: World, typed: Any
) -> None:
    f.register_person("194512242498")
    found = find_patient_by_identifier(typed, actor=world.actor(world.prescriber))
    assert found == world.patient  # already known: not imported again
    person = find_patient_by_identifier("19451224-2498", actor=world.actor(world.prescriber))
    assert person is not None and person.identifier == "194512242498"
    again = find_patient_by_identifier("451224-2498", actor=world.actor(world.prescriber))
    assert again == person
    assert Patient.objects.filter(identifier="194512242498").count() == 1


@pytest.mark.rule("PAT-1")
def test_register_details_are_copied_into_the_patient(world: World) -> None:
    f.register_person(
        "197608080813", first_name="Sara", last_name="Lind", region="HALLAND", city="Halmstad"
    )
    p = find_patient_by_identifier("19760808-0813", actor=world.actor(world.prescriber))
    assert (p.name, p.resident_region, p.city) == ("Sara Lind", "HALLAND", "Halmstad")
    assert p.birth_date.isoformat() == "1976-08-08"


@pytest.mark.rule("PAT-1")
def test_a_person_registered_in_another_region_is_not_found_and_nothing_is_copied(
    world: World,
) -> None:
    f.register_person(
        "198802141427", first_name="Sara", last_name="Lind", region="OTHER", region_name="Stockholm"
    )
    assert find_patient_by_identifier("19880214-1427", actor=world.actor(world.prescriber)) is None
    assert not Patient.objects.filter(identifier="198802141427").exists()
    event = AuditEvent.objects.get(action="patients.patient.searched")
    assert (event.outcome, event.patient_id) == ("not_found", None)


@pytest.mark.rule("PAT-2")
def test_a_samordningsnummer_is_not_found_even_if_the_register_knows_it(world: World) -> None:
    f.register_person("191212721219", region="VG")
    assert find_patient_by_identifier("19121272-1219", actor=world.actor(world.prescriber)) is None
    assert not Patient.objects.filter(identifier="191212721219").exists()


@pytest.mark.rule("PAT-2")
def test_a_registered_samordningsnummer_patient_is_found_with_its_kind(world: World) -> None:
    # customer service registered them (CH-1 case); the typed number finds that record
    p = Patient.objects.create(
        identity_kind="samordningsnummer",
        identifier="191212721219",
        first_name="Tolvan",
        last_name="Tolvansson",
        birth_date=dt.date(1912, 12, 12),
        street="Storgatan 1",
        postcode="41301",
        city="Göteborg",
        resident_region="OTHER",
    )
    found = find_patient_by_identifier("19121272-1219", actor=world.actor(world.prescriber))
    assert found == p and found.identity_kind == "samordningsnummer"


@pytest.mark.rule("PAT-2")
@pytest.mark.parametrize(
    "typed", ["19121212-1213", "hello", "", "1912121212121212", "19121332-1212"]
)
def test_invalid_numbers_are_refused_in_plain_swedish(world: World, typed: Any) -> None:
    with pytest.raises(DomainError) as refused:
        find_patient_by_identifier(typed, actor=world.actor(world.prescriber))
    assert refused.value.code == "invalid_personal_number"
    assert "personnum" in refused.value.problems[0].message.lower()


@pytest.mark.rule("PAT-2")
def test_someone_not_in_the_register_is_not_found_and_the_search_is_audited(world: World) -> None:
    assert find_patient_by_identifier("20150315-1597", actor=world.actor(world.prescriber)) is None
    event = AuditEvent.objects.get(action="patients.patient.searched")
    assert event.outcome == "not_found"


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-7")
def test_a_protected_register_person_is_locked_for_everyone(world: World) -> None:
    f.register_person("193001010176", protected=True)
    for user in (world.prescriber, world.doctor, world.outsider):
        assert find_patient_by_identifier("19300101-0176", actor=world.actor(user)) is None


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-2")
def test_looking_up_a_protected_person_stores_nothing_about_them(world: World) -> None:
    f.register_person(
        "193001010176",
        first_name="Ingrid",
        last_name="Hemligsdotter",
        street="Gömda vägen 9",
        city="Kungälv",
        protected=True,
    )
    for user in (world.prescriber, world.doctor, world.customer_service):
        assert find_patient_by_identifier("19300101-0176", actor=world.actor(user)) is None
    assert not Patient.objects.filter(identifier="193001010176").exists()
    assert (
        rows_containing("193001010176", "Hemligsdotter", "Gömda vägen", "Kungälv", skip=REGISTER)
        == []
    )
    searches = AuditEvent.objects.filter(action="patients.patient.searched")
    assert searches.count() == 3
    assert {(e.outcome, e.patient_id) for e in searches} == {("not_found", None)}
    assert not AuditEvent.objects.filter(action="patients.patient.imported").exists()


@pytest.mark.rule("SKYDD-1")
def test_a_protected_patient_is_seen_inside_its_unit_only(world: World) -> None:
    hidden = f.make_patient(f.PERSONNUMMER[5], protected=True, protected_unit=world.unit)
    inside = world.actor(world.prescriber)
    outside = world.actor(world.outsider)
    assert find_patient_by_identifier("19300101-0176", actor=inside) == hidden
    assert get_patient(hidden.pk, actor=inside) == hidden
    assert find_patient_by_identifier("19300101-0176", actor=outside) is None
    with pytest.raises(NotFound):
        get_patient(hidden.pk, actor=outside)
    with pytest.raises(NotFound):
        get_patient(999_999, actor=outside)


def test_reading_a_patient_is_audited(world: World) -> None:
    get_patient(world.patient.pk, actor=world.actor(world.doctor))
    event = AuditEvent.objects.get(action="patients.patient.read")
    assert (event.patient_id, event.actor_hsa_id) == (world.patient.pk, world.doctor.hsa_id)


@pytest.mark.rule("PAT-1")
def test_an_imported_patients_audit_chain_starts_with_the_import_and_holds(world: World) -> None:
    from lmn.audit.services import GENESIS, record, verify_chain

    f.register_person("194512242498")
    actor = world.actor(world.prescriber)
    person = find_patient_by_identifier("19451224-2498", actor=actor)
    assert person is not None
    record("patients.patient.viewed", actor=actor, patient=person, obj=person)
    chain = list(AuditEvent.objects.filter(patient_id=person.pk).order_by("id"))
    assert [e.action for e in chain] == [
        "patients.patient.imported",
        "patients.patient.searched",
        "patients.patient.viewed",
    ]
    assert [e.prev_hash for e in chain] == [GENESIS, chain[0].hash, chain[1].hash]
    assert verify_chain() is None
