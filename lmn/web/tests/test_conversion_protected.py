"""Identity conversion to a personnummer the register protects: answered exactly as for a
personnummer not in the register, in the service, the portal and the API (SKYDD-1, SKYDD-7).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from lmn.api.tests.conftest import client_for as api_client
from lmn.api.tests.conftest import post_json
from lmn.cases.conversion import NewIdentity, convert_identity
from lmn.cases.register_sync import sync_register
from lmn.cases.services import approve_case
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.patients.models import Patient, RegisterRecord
from lmn.patients.queries import patients_visible_to
from lmn.testing import factories as f
from lmn.testing.stored import rows_containing
from lmn.testing.types import ClientFor, World

PROTECTED = "193001010176"
MISSING = "201503151597"  # in nobody's register
SECRETS = ("Hemligsdotter", "Gömda vägen 9")


@pytest.fixture
def two_asylum_seekers(world: Any) -> tuple[Patient, Patient]:
    f.make_asylum_unit()
    f.register_person(
        PROTECTED,
        first_name="Ingrid",
        last_name="Hemligsdotter",
        street="Gömda vägen 9",
        protected=True,
    )
    agent = world.actor(world.customer_service)
    patients: list[Any] = []
    for lma in ("50-008920/4", "50-008921/1"):
        case = f.make_case(
            "asylum",
            user=world.prescriber,
            unit=world.unit,
            product=world.diabetes_product,
            lma_number=lma,
        )
        patients.append(approve_case(case, actor=agent).patient)
    return patients[0], patients[1]


def _problems(error: DomainError) -> list[tuple[str, str, str]]:
    return [(p.code, p.field or "", p.message) for p in error.problems]


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-7")
def test_the_service_answers_a_protected_number_as_a_missing_one(
    world: World, two_asylum_seekers: tuple[Patient, Patient]
) -> None:
    one, two = two_asylum_seekers
    agent = world.actor(world.customer_service)
    answers = []
    for patient, number in ((one, PROTECTED), (two, MISSING)):
        with pytest.raises(DomainError) as refused:
            convert_identity(patient, NewIdentity("personnummer", number), actor=agent)
        answers.append(_problems(refused.value))
    assert answers[0] == answers[1]
    assert answers[0][0][0] == "not_in_register"
    named = convert_identity(
        one, NewIdentity("personnummer", PROTECTED, "Amina", "Yusuf"), actor=agent
    )
    assert named.name == "Amina Yusuf"  # what the agent typed, nothing from the register
    assert rows_containing(*SECRETS, skip=(RegisterRecord,)) == []
    # the register's protection then reaches the record as for any patient (SKYDD-7)
    sync_register(actor=Actor.system("register-sync"))
    named.refresh_from_db()
    assert (named.protected, named.protected_unit) == (True, None)
    assert not patients_visible_to(agent).filter(pk=named.pk).exists()


def _error_summary(html: str) -> str:
    found = re.search(r'<div class="nhsuk-error-summary.*?</div>\s*</div>', html, re.S)
    assert found, html
    return found.group(0)


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-7")
def test_the_portal_answers_a_protected_number_as_a_missing_one(
    client_for: ClientFor, world: World, two_asylum_seekers: tuple[Patient, Patient]
) -> None:
    one, two = two_asylum_seekers
    agent = client_for(world.customer_service)
    pages = [
        agent.post(
            reverse("web:conversion", args=[patient.pk]),
            {"kind": "personnummer", "identifier": number},
        )
        for patient, number in ((one, PROTECTED), (two, MISSING))
    ]
    assert [p.status_code for p in pages] == [200, 200]
    summaries = [_error_summary(p.content.decode()) for p in pages]
    assert summaries[0] == summaries[1]
    assert "ange namnet" in summaries[0]
    for page in pages:
        html = page.content.decode()
        assert not any(secret in html for secret in (*SECRETS, "Ingrid"))


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-7")
def test_the_api_answers_a_protected_number_as_a_missing_one(
    world: World, two_asylum_seekers: tuple[Patient, Patient]
) -> None:
    one, two = two_asylum_seekers
    agent = api_client(world.customer_service)
    answers = [
        post_json(
            agent,
            f"/api/v1/patients/{patient.pk}/conversion",
            {"kind": "personnummer", "identifier": number},
        )
        for patient, number in ((one, PROTECTED), (two, MISSING))
    ]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].json() == answers[1].json()
    named = post_json(
        agent,
        f"/api/v1/patients/{one.pk}/conversion",
        {"kind": "personnummer", "identifier": PROTECTED, "first_name": "A", "last_name": "Y"},
    )
    assert named.status_code == 200, named.content
    assert named.json()["name"] == "A Y"
    assert not any(secret in named.content.decode() for secret in (*SECRETS, "Ingrid"))
