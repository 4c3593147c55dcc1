"""Retention as policy data: inactive patients are pseudonymised by a scheduled, audited
job; a patient a rule still needs is left alone."""

from __future__ import annotations

import datetime as dt

import time_machine

from lmn.audit.models import AuditEvent
from lmn.logreview.jobs import apply_retention
from lmn.logreview.models import RetentionPolicy
from lmn.patients.models import Patient
from lmn.testing import factories as f
from lmn.testing.types import World


def test_an_inactive_patient_is_pseudonymised_and_the_run_is_audited(world: World) -> None:
    with time_machine.travel(dt.datetime(2018, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        inactive = f.make_patient(f.PERSONNUMMER[3])
        still_needed = f.make_patient(f.PERSONNUMMER[4])
        protected = f.make_patient(f.PERSONNUMMER[5], protected=True, protected_unit=world.unit)
    RetentionPolicy.objects.create(region="VG", inactive_patient_years=5)

    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False):
        # a prescription valid today: GEN-3 still needs the patient and the history
        f.make_prescription(
            patient=still_needed,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=world.unit,
        )
        result = apply_retention()

    assert result["patients_pseudonymised"] == 1
    inactive.refresh_from_db()
    assert inactive.first_name == "Pseudonymiserad"
    assert inactive.identifier != f.PERSONNUMMER[3] and inactive.street == ""
    for kept in (still_needed, protected):
        assert Patient.objects.get(pk=kept.pk).identifier == kept.identifier
    assert AuditEvent.objects.filter(action="logreview.retention.applied").count() == 1
    assert AuditEvent.objects.filter(
        action="patients.patient.pseudonymised", patient_id=inactive.pk
    ).exists()
    # a second run finds nothing more to do
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC), tick=False):
        assert apply_retention()["patients_pseudonymised"] == 0
