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
def test_the_demo_ward_has_a_delivery_place_and_residents_to_joint_order_for() -> None:
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


@pytest.mark.rule("SAM-1")
@pytest.mark.django_db
def test_the_demo_ward_can_joint_order_now_and_shows_something_that_must_wait() -> None:
    """A joint order needs two residents with something to withdraw today."""
    from lmn.withdrawals.queries import entitlements_for

    build_world(patients=300)
    ward = PrescribingUnit.objects.get(customer_number="603001")
    rows = list(
        Prescription.objects.filter(patient__care_home_unit=ward, status="active").exclude(
            product__area__code__in=JOINT_EXCLUDED_AREAS
        )
    )
    now = entitlements_for(rows)
    orderable = {rx.patient_id for rx in rows if now[rx.pk].withdrawable_now > 0}
    assert len(orderable) >= 2
    assert any(now[rx.pk].withdrawable_now == 0 for rx in rows)
