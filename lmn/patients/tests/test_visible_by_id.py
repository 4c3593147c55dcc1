"""Reading one patient by id answers as patients_visible_to does, for every kind of actor
(SKYDD-1: a protected patient is seen only inside their own unit)."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.core.actor import Actor, Role
from lmn.patients.queries import patients_visible_to, visible_patient_by_id
from lmn.testing import factories as f


@pytest.mark.rule("SKYDD-1")
def test_one_patient_by_id_is_visible_exactly_when_the_list_shows_it(world: Any) -> None:
    plain = f.make_patient(f.PERSONNUMMER[1])
    ours = f.make_patient(f.PERSONNUMMER[4], protected=True, protected_unit=world.unit)
    theirs = f.make_patient(f.PERSONNUMMER[5], protected=True, protected_unit=world.other_unit)
    converted = f.make_patient(f.PERSONNUMMER[3], converted_to=plain)
    actors = [
        f.actor_of(world.prescriber, world.unit),
        f.actor_of(world.outsider, world.other_unit),
        f.actor_of(world.customer_service),
        Actor(role=Role.PATIENT, hsa_id="patient:1", acting_for=plain),
    ]
    for actor in actors:
        listed = set(patients_visible_to(actor).values_list("pk", flat=True))
        for patient in (plain, ours, theirs, converted):
            found = visible_patient_by_id(patient.pk, actor=actor)
            assert (found is not None) == (patient.pk in listed), (actor.role, patient)
            assert found is None or found.pk == patient.pk
    assert visible_patient_by_id(ours.pk, actor=actors[0]) is not None
    assert visible_patient_by_id(ours.pk, actor=actors[1]) is None
