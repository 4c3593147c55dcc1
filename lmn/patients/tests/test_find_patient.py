"""Finding patients by personnummer, through the population register (PAT-1, PAT-2, SKYDD)."""

from __future__ import annotations

import pytest

from lmn.audit.models import AuditEvent
from lmn.core.errors import DomainError, NotFound
from lmn.patients.models import Patient
from lmn.patients.services import find_patient_by_identifier, get_patient
from lmn.testing import factories as f


@pytest.mark.rule("PAT-1")
@pytest.mark.parametrize(
    "typed", ["19121212-1212", "191212121212", "121212+1212", " 19121212 - 1212 "]
)
def test_a_register_person_is_found_by_any_common_format_and_imported_once(world, typed):
    f.register_person("194512242498")
    found = find_patient_by_identifier(typed, actor=world.actor(world.prescriber))
    assert found == world.patient  # already known: not imported again
    person = find_patient_by_identifier("19451224-2498", actor=world.actor(world.prescriber))
    assert person is not None and person.identifier == "194512242498"
    again = find_patient_by_identifier("451224-2498", actor=world.actor(world.prescriber))
    assert again == person
    assert Patient.objects.filter(identifier="194512242498").count() == 1


@pytest.mark.rule("PAT-1")
def test_register_details_are_copied_into_the_patient(world):
    f.register_person(
        "198802141427", first_name="Sara", last_name="Lind", region="OTHER", region_name="Stockholm"
    )
    p = find_patient_by_identifier("19880214-1427", actor=world.actor(world.prescriber))
    assert (p.name, p.resident_region, p.region_name) == ("Sara Lind", "OTHER", "Stockholm")
    assert p.birth_date.isoformat() == "1988-02-14"


@pytest.mark.rule("PAT-2")
def test_samordningsnummer_is_stored_canonically_with_its_kind(world):
    f.register_person("191212721219")
    p = find_patient_by_identifier("19121272-1219", actor=world.actor(world.prescriber))
    assert p.identity_kind == "samordningsnummer"
    assert p.birth_date.isoformat() == "1912-12-12"


@pytest.mark.rule("PAT-2")
@pytest.mark.parametrize(
    "typed", ["19121212-1213", "hello", "", "1912121212121212", "19121332-1212"]
)
def test_invalid_numbers_are_refused_in_plain_swedish(world, typed):
    with pytest.raises(DomainError) as refused:
        find_patient_by_identifier(typed, actor=world.actor(world.prescriber))
    assert refused.value.code == "invalid_personal_number"
    assert "personnum" in refused.value.problems[0].message.lower()


@pytest.mark.rule("PAT-2")
def test_someone_not_in_the_register_is_not_found_and_the_search_is_audited(world):
    assert find_patient_by_identifier("20150315-1597", actor=world.actor(world.prescriber)) is None
    event = AuditEvent.objects.get(action="patients.patient.searched")
    assert event.outcome == "not_found"


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-7")
def test_a_protected_register_person_is_locked_for_everyone(world):
    f.register_person("193001010176", protected=True)
    for user in (world.prescriber, world.doctor, world.outsider):
        assert find_patient_by_identifier("19300101-0176", actor=world.actor(user)) is None


@pytest.mark.rule("SKYDD-1")
def test_a_protected_patient_is_seen_inside_its_unit_only(world):
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


def test_reading_a_patient_is_audited(world):
    get_patient(world.patient.pk, actor=world.actor(world.doctor))
    event = AuditEvent.objects.get(action="patients.patient.read")
    assert (event.patient_id, event.actor_hsa_id) == (world.patient.pk, world.doctor.hsa_id)
