"""Case journeys that once ended in a dead end (issue 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lmn.cases.models import Case
from lmn.cases.services import approve_case
from lmn.patients.models import Patient
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.models import Withdrawal

from .helpers import _html


@pytest.mark.rule("SKYDD-3")
def test_approved_protected_case_leads_the_prescriber_to_the_one_withdrawal(
    logged_in: Any, world: World, agent_actor: Any
) -> None:

    case = f.make_case(
        "protected_identity", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    approve_case(case, actor=agent_actor)
    case.refresh_from_db()
    client = logged_in(world.prescriber)
    page = _html(client.get(reverse("web:case", args=[case.pk])))
    patient_url = reverse("web:patient", args=[case.patient_id])
    assert f'href="{patient_url}"' in page
    overview = client.get(patient_url)
    assert overview.status_code == 200
    new_url = reverse("web:new_withdrawal", args=[case.patient_id])
    assert new_url in _html(overview)
    rx = case.prescription
    r = client.post(
        new_url,
        {
            f"qty_{rx.pk}": "10",
            "destination": "unit",
            "care_of": "Sjuksköterska Berg",
            "idempotency_key": "7c3c7a3e-8d9b-4c31-9d83-1d2b9d1d6c11",
        },
    )
    assert r.status_code == 302, _html(r)
    w = Withdrawal.objects.get(patient_id=case.patient_id)
    assert (w.destination, w.care_of) == ("unit", "Sjuksköterska Berg")
    # customer service sees the case, but never a link into the protected patient
    agent = logged_in(world.customer_service).get(reverse("web:backoffice_case", args=[case.pk]))
    assert agent.status_code == 200
    assert patient_url not in _html(agent)


@pytest.mark.rule("ASYL-6")
def test_an_unknown_lma_number_offers_the_asylum_case_prefilled(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    client = logged_in(world.prescriber)
    r = client.post(reverse("web:home"), {"identifier": "50-008920/4"})
    html = _html(r)
    assert "Ingen patient hittades" in html
    assert 'id="start-asylum-case"' in html
    assert reverse("web:new_case", args=["asylum"]) in html
    # the button starts the case with the number filled in, and nothing is submitted yet
    start = client.post(
        reverse("web:new_case", args=["asylum"]), {"lma_number": "50-008920/4", "_start": "1"}
    )
    form = _html(start)
    assert start.status_code == 200
    assert 'value="50-008920/4"' in form
    assert "nhsuk-error-summary" not in form
    assert Case.objects.count() == 0
    # the LMA number never went into a URL
    assert "008920" not in start.request["PATH_INFO"] + start.request.get("QUERY_STRING", "")


def test_every_case_kind_starts_from_one_page_reachable_from_the_search(
    logged_in: Any, world: World
) -> None:
    client = logged_in(world.prescriber)
    home = _html(client.get(reverse("web:home")))
    start_url = reverse("web:start_case")
    assert start_url in home
    page = _html(client.get(start_url))
    for kind in ("asylum", "without_permit", "protected_identity"):
        assert reverse("web:new_case", args=[kind]) in page
    assert 'value="out_of_assortment"' in page and 'value="outside_region"' in page
    r = client.post(start_url, {"kind": "out_of_assortment", "identifier": "19121212-1212"})
    patient = Patient.objects.get(identifier="191212121212")
    assert r["Location"] == reverse("web:new_case", args=["out_of_assortment"]) + (
        f"?patient={patient.pk}"
    )
    missing = _html(client.post(start_url, {"kind": "outside_region", "identifier": ""}))
    assert "Ange patientens personnummer." in missing
