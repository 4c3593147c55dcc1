"""Ordinary forms for special identities: the asylum decision and delivery to the unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from lmn.core.actor import Role
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal

from .helpers import _html, _person, act_in


@pytest.mark.rule("ASYL-2")
def test_prescription_form_asks_for_the_decision_for_adult_lma_patients(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    lma = _person("50008920", identity_kind="lma", birth_date=dt.date(1990, 5, 1))
    f.add_membership(world.prescriber, unit=asylum_unit, role=Role.PRESCRIBER, areas=["diabetes"])
    client = logged_in(world.prescriber)
    act_in(client, world.prescriber, asylum_unit)
    url = reverse("web:new_prescription", args=[lma.pk])
    assert "Vården kan inte anstå" in _html(client.get(url))
    data = {
        "product": world.diabetes_product.article_number,
        "consumption_amount": "1",
        "consumption_period": "day",
    }
    r = client.post(url, data)
    assert "vård som inte kan anstå" in _html(r) and Prescription.objects.count() == 0
    r = client.post(url, {**data, "care_cannot_wait": "on"})
    assert r.status_code == 302
    assert Prescription.objects.get().care_cannot_wait is True
    # an ordinary patient's form does not ask
    assert "Vården kan inte anstå" not in _html(
        client.get(reverse("web:new_prescription", args=[world.patient.pk]))
    )


@pytest.mark.rule("SKYDD-5")
def test_protected_patient_is_ordered_to_the_unit_with_care_of(
    logged_in: Any, world: World
) -> None:
    secret = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    rx = f.make_prescription(
        patient=secret, product=world.diabetes_product, prescriber=world.prescriber, unit=world.unit
    )
    client = logged_in(world.prescriber)
    url = reverse("web:new_withdrawal", args=[secret.pk])
    html = _html(client.get(url))
    assert 'value="unit"' in html and 'value="door"' not in html and "Till enheten" in html
    assert secret.street not in html
    import uuid

    data = {f"qty_{rx.pk}": "10", "destination": "unit", "idempotency_key": str(uuid.uuid4())}
    r = client.post(url, data)
    assert "Ange c/o" in _html(r) and Withdrawal.objects.count() == 0
    r = client.post(url, {**data, "care_of": "Sjuksköterska Berg"})
    assert r.status_code == 302, _html(r)[:2000]
    w = Withdrawal.objects.get()
    assert (w.destination, w.care_of, w.street) == ("unit", "Sjuksköterska Berg", world.unit.street)
    # ordinary patients keep door and pickup point
    html = _html(client.get(reverse("web:new_withdrawal", args=[world.patient.pk])))
    assert 'value="door"' in html and 'value="unit"' not in html
