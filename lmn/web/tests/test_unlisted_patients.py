"""Portal and API: a person the register does not give LMN (PAT-1, PAT-2) is not found;
the prescriber is led to the outside-region case (CH-1) or told about the pharmacy (CH-2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lmn.api.tests.conftest import client_for as api_client
from lmn.api.tests.conftest import post_json
from lmn.cases.models import Case
from lmn.patients.models import Patient
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World

STOCKHOLM = "19880214-1427"


@pytest.mark.rule("PAT-1")
@pytest.mark.rule("CH-1")
def test_the_search_leads_a_stockholm_resident_to_the_case(
    client_for: ClientFor, world: World
) -> None:
    f.register_person("198802141427", first_name="Reg", last_name="Ister", region="OTHER")
    incontinence = f.make_product("incontinence")
    client = client_for(world.prescriber)
    html = client.post(reverse("web:home"), {"identifier": STOCKHOLM}).content.decode()
    assert "Ingen patient hittades" in html and "Ister" not in html
    assert "hjälpmedelskort" in html  # CH-2, said where the prescriber is
    case_url = reverse("web:new_case", args=["outside_region"])
    assert f'href="{case_url}"' in html

    form = client.get(case_url).content.decode()
    assert 'name="personal_number"' in form and 'name="first_name"' in form
    sent = client.post(
        case_url,
        {
            "product": incontinence.article_number,
            "consumption_amount": "2",
            "consumption_period": "day",
            "personal_number": STOCKHOLM,
            "first_name": "Johanna",
            "last_name": "Nilsson",
        },
    )
    case = Case.objects.get()
    assert sent["Location"] == reverse("web:case", args=[case.pk])
    assert (case.personal_number, case.first_name) == ("198802141427", "Johanna")
    assert not Patient.objects.filter(identifier="198802141427").exists()  # until approved
    shown = client.get(sent["Location"]).content.decode()
    assert "19880214-1427" in shown and "Johanna Nilsson" in shown


@pytest.mark.rule("CH-2")
def test_the_case_form_refuses_diabetes_for_an_unlisted_person(
    client_for: ClientFor, world: World
) -> None:
    client = client_for(world.prescriber)
    r = client.post(
        reverse("web:new_case", args=["outside_region"]),
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": "2",
            "consumption_period": "day",
            "personal_number": STOCKHOLM,
            "first_name": "Johanna",
            "last_name": "Nilsson",
        },
    )
    assert r.status_code == 200 and "hjälpmedelskort" in r.content.decode()
    assert not Case.objects.exists()


@pytest.mark.rule("PAT-2")
@pytest.mark.rule("CH-1")
def test_the_api_takes_an_unlisted_person_on_the_case(world: World) -> None:
    agent = api_client(world.customer_service)
    prescriber = api_client(world.prescriber, world.unit)
    found = prescriber.get("/api/v1/patients", {"identifier": "19121272-1219"})
    assert found.status_code == 200 and found.json() == []
    r = post_json(
        prescriber,
        "/api/v1/cases",
        {
            "kind": "outside_region",
            "article_number": f.make_product("incontinence").article_number,
            "consumption": {"amount": 2, "per": "day"},
            "personal_number": "19121272-1219",
            "first_name": "Ali",
            "last_name": "Samordnad",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["personal_number"] == "191212721219"
    r = post_json(agent, f"/api/v1/cases/{r.json()['id']}/decision", {"decision": "approve"})
    assert r.json()["status"] == "approved", r.content
    patient = Patient.objects.get(identifier="191212721219")
    assert (patient.identity_kind, patient.name) == ("samordningsnummer", "Ali Samordnad")
