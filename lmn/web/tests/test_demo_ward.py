"""The training world can show the ward page and place a joint order (SAM-1, SAM-3)."""

from __future__ import annotations

import pytest

from lmn.demo.world import build_world
from lmn.organisations.models import PrescribingUnit
from lmn.patients.models import Patient
from lmn.prescriptions.models import Prescription
from lmn.withdrawals.joint import JOINT_EXCLUDED_AREAS


@pytest.mark.rule("SAM-3")
@pytest.mark.django_db
def test_the_demo_ward_has_a_delivery_place_and_residents_to_joint_order_for():
    build_world(patients=300)

    ward = PrescribingUnit.objects.get(customer_number="603001")
    assert ward.delivery_place.strip()
    residents = Patient.objects.filter(care_home_unit=ward)
    with_joint_prescriptions = {
        rx.patient_id
        for rx in Prescription.objects.filter(patient__in=residents, status="active").exclude(
            product__area__code__in=JOINT_EXCLUDED_AREAS
        )
    }
    assert len(with_joint_prescriptions) >= 3
