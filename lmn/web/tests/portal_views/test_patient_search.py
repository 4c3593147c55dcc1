"""The portal's patient search and the patient overview."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World

from .helpers import _html


@pytest.mark.parametrize("raw", ["19121212-1212", "191212121212", "121212+1212", " 19121212 1212 "])
def test_patient_search_accepts_common_formats(
    client_for: ClientFor, world: World, raw: Any
) -> None:
    response = client_for(world.prescriber).post(reverse("web:home"), {"identifier": raw})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:patient", args=[world.patient.pk])


def test_patient_search_with_invalid_number_shows_field_error(
    client_for: ClientFor, world: World
) -> None:
    response = client_for(world.prescriber).post(
        reverse("web:home"), {"identifier": "19121212-1213"}
    )
    html = _html(response)
    assert "Personnumret är inte giltigt" in html
    assert "nhsuk-form-group--error" in html
    assert 'href="#id_identifier"' in html


def test_patient_search_not_found(client_for: ClientFor, world: World) -> None:
    response = client_for(world.prescriber).post(
        reverse("web:home"), {"identifier": f.PERSONNUMMER[3]}
    )
    assert "Ingen patient hittades" in _html(response)


def test_protected_patient_of_another_unit_is_not_found_and_gives_404(
    client_for: ClientFor, world: World
) -> None:
    hidden = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.other_unit)
    client = client_for(world.prescriber)
    response = client.post(reverse("web:home"), {"identifier": f.PERSONNUMMER[1]})
    assert "Ingen patient hittades" in _html(response)
    for name in ("web:patient", "web:new_prescription", "web:new_withdrawal"):
        assert client.get(reverse(name, args=[hidden.pk])).status_code == 404
    missing = client.get(reverse("web:patient", args=[999_999]))
    assert missing.status_code == 404


def test_protected_patient_is_visible_inside_own_unit(client_for: ClientFor, world: World) -> None:
    own = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    response = client_for(world.prescriber).get(reverse("web:patient", args=[own.pk]))
    assert response.status_code == 200


def test_overview_shows_patient_prescriptions_and_entitlement(
    client_for: ClientFor, world: World
) -> None:
    f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=2,
    )
    response = client_for(world.prescriber).get(reverse("web:patient", args=[world.patient.pk]))
    html = _html(response)
    assert "Tolvan Tolvansson" in html
    assert "19121212-1212" in html
    assert "Storgatan 1" in html
    assert "Testremsor Glukos" in html
    assert "2 st per dag" in html
    assert "180 st" in html  # 2/day for 90 days
    assert "Ny förskrivning" in html
    assert "Nytt uttag" in html
    assert AuditEvent.objects.filter(action="patients.patient.read", patient_id=world.patient.pk)


def test_overview_hides_new_prescription_for_orderer(client_for: ClientFor, world: World) -> None:
    response = client_for(world.orderer).get(reverse("web:patient", args=[world.patient.pk]))
    assert "Ny förskrivning" not in _html(response)
    assert "Nytt uttag" in _html(response)
