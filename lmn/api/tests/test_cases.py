"""REST endpoints of issue 4: cases, decisions, conversion, follow-ups, the search field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lmn.api.tests.conftest import assert_error, client_for, post_json
from lmn.cases.models import Case
from lmn.core import clock
from lmn.patients.models import Patient
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import World


@pytest.fixture
def asylum_unit(world: Any) -> Any:
    return f.make_asylum_unit()


def _asylum(world: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "asylum",
        "article_number": world.diabetes_product.article_number,
        "consumption": {"amount": 2, "per": "day"},
        "first_name": "Amina",
        "last_name": "Yusuf",
        "birth_date": "1990-05-01",
        "lma_number": "50-008920/4",
        "lma_valid_until": str(clock.today() + dt.timedelta(days=100)),
        "care_cannot_wait": True,
    }
    body.update(overrides)
    return body


@pytest.mark.rule("ASYL-3", "ASYL-5", "ASYL-6", "OOA-2", "CON-4")
def test_case_round_trip_over_the_api(world: World, asylum_unit: Any) -> None:
    prescriber = client_for(world.prescriber, world.unit)
    agent = client_for(world.customer_service)
    r = post_json(prescriber, "/api/v1/cases", _asylum(world))
    assert r.status_code == 201, r.content
    case_id = r.json()["id"]
    assert r.json()["lma_number"] == "50008920"
    assert [c["id"] for c in agent.get("/api/v1/cases").json()] == [case_id]
    assert [c["id"] for c in prescriber.get("/api/v1/cases").json()] == [case_id]
    assert_error(
        post_json(agent, f"/api/v1/cases/{case_id}/decision", {"decision": "return"}), 422, "OOA-2"
    )
    r = post_json(
        agent, f"/api/v1/cases/{case_id}/decision", {"decision": "return", "reason": "Kort saknas"}
    )
    assert r.json()["status"] == "returned_for_completion"
    assert prescriber.get(f"/api/v1/cases/{case_id}").json()["return_reason"] == "Kort saknas"
    r = post_json(prescriber, f"/api/v1/cases/{case_id}/complete", _asylum(world))
    assert r.json()["status"] == "resubmitted", r.content
    r = post_json(agent, f"/api/v1/cases/{case_id}/decision", {"decision": "approve"})
    assert r.json()["status"] == "approved"
    assert r.json()["prescription_reference"]
    # a second decision: the case is already decided
    assert_error(
        post_json(
            agent, f"/api/v1/cases/{case_id}/decision", {"decision": "reject", "reason": "x"}
        ),
        409,
        "case_already_decided",
    )
    # ASYL-6 over the API, as the prescriber acting in 601628
    found = client_for(world.prescriber, asylum_unit).get(
        "/api/v1/patients", {"identifier": "50-008920/4"}
    )
    assert [p["identity"] for p in found.json()] == [{"kind": "lma", "identifier": "50008920"}]


def test_bad_case_input_is_422_with_swedish_messages_and_nothing_created(
    world: World, asylum_unit: Any
) -> None:
    prescriber = client_for(world.prescriber, world.unit)
    r = post_json(
        prescriber,
        "/api/v1/cases",
        _asylum(world, lma_number="50-00", birth_date=str(clock.today() + dt.timedelta(days=1))),
    )
    body = assert_error(r, 422, "invalid_lma_number")
    assert "birth_date_in_future" in [e["code"] for e in body["errors"]]
    assert_error(post_json(prescriber, "/api/v1/cases", {"kind": "x"}), 422, "invalid_choice")
    assert_error(post_json(prescriber, "/api/v1/cases", "[1"), 422, "invalid_json")
    assert_error(
        post_json(
            prescriber,
            "/api/v1/cases",
            {
                "kind": "out_of_assortment",
                "article_number": world.diabetes_product.article_number,
                "consumption": {"amount": 1, "per": "day"},
                "patient_id": world.patient.pk,
                "justification": "   ",
            },
        ),
        422,
        "OOA-1",
    )
    assert Case.objects.count() == 0


def test_roles_and_units(world: World, asylum_unit: Any) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    outsider = client_for(world.outsider, world.other_unit)
    assert_error(outsider.get(f"/api/v1/cases/{case.pk}"), 404, "not_found")
    assert_error(
        post_json(outsider, f"/api/v1/cases/{case.pk}/complete", _asylum(world)), 404, "not_found"
    )
    prescriber = client_for(world.prescriber, world.unit)
    assert_error(
        post_json(prescriber, f"/api/v1/cases/{case.pk}/decision", {"decision": "approve"}),
        403,
        "customer_service_only",
    )
    assert_error(prescriber.get("/api/v1/follow-ups"), 403, "customer_service_only")
    agent = client_for(world.customer_service)
    assert_error(post_json(agent, "/api/v1/cases", _asylum(world)), 403, "ACC-2")
    assert_error(
        post_json(
            prescriber,
            f"/api/v1/patients/{world.patient.pk}/conversion",
            {"kind": "lma", "identifier": "50008920"},
        ),
        403,
        "customer_service_only",
    )


@pytest.mark.rule("UT-6")
def test_conversion_over_the_api(world: World, asylum_unit: Any) -> None:
    agent_actor = world.actor(world.customer_service)
    from lmn.cases.services import approve_case

    case = f.make_case(
        "without_permit", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    approve_case(case, actor=agent_actor)
    ut = Patient.objects.get(identity_kind="ut")
    agent = client_for(world.customer_service)
    url = f"/api/v1/patients/{ut.pk}/conversion"
    assert_error(
        post_json(agent, url, {"kind": "lma", "identifier": "5"}), 422, "invalid_lma_number"
    )
    r = post_json(
        agent,
        url,
        {
            "kind": "lma",
            "identifier": "50-008920/4",
            "lma_valid_until": str(clock.today() + dt.timedelta(days=30)),
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["identity"] == {"kind": "lma", "identifier": "50008920"}
    assert Prescription.objects.get().patient_id == r.json()["id"]
    assert_error(
        post_json(
            agent, "/api/v1/patients/999999/conversion", {"kind": "lma", "identifier": "50008921"}
        ),
        404,
        "not_found",
    )


@pytest.mark.rule("UT-5")
def test_search_by_name_and_birth_date(world: World) -> None:
    Patient.objects.create(
        identity_kind="ut",
        identifier="UT0000000007",
        first_name="Omar",
        last_name="Haddad - UT",
        birth_date=dt.date(1985, 3, 3),
        street="",
        postcode="",
        city="",
        resident_region="VG",
    )
    client = client_for(world.prescriber, world.unit)
    r = client.get("/api/v1/patients/search", {"name": "omar haddad", "birth_date": "1985-03-03"})
    assert [p["name"] for p in r.json()] == ["Omar Haddad - UT"]
    assert r.json()[0]["identity"]["identifier"] == ""  # UT-4: internal, never shown
    assert_error(client.get("/api/v1/patients/search", {"name": "Omar"}), 422, "required")
    assert_error(
        client.get("/api/v1/patients/search", {"name": "Omar", "birth_date": "1985-13-01"}),
        422,
        "invalid_date",
    )


@pytest.mark.rule("SKYDD-9")
def test_customer_number_in_the_identifier_lists_own_protected_withdrawals(world: World) -> None:
    from lmn.web.tests.cases_views.helpers import _protected_withdrawal

    secret = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    w = _protected_withdrawal(world, secret)
    inside = client_for(world.prescriber, world.unit).get(
        "/api/v1/patients", {"identifier": "602154"}
    )
    [row] = inside.json()
    assert next(iter(row)) == "withdrawal_number" and row["withdrawal_number"] == w.number
    outside = client_for(world.outsider, world.other_unit)
    assert outside.get("/api/v1/patients", {"identifier": "602154"}).json() == []


@pytest.mark.rule("OOA-3")
def test_follow_ups_and_contacts(world: World) -> None:
    from lmn.web.tests.cases_views.helpers import _ooa_follow_up

    follow_up = _ooa_follow_up(world)
    agent = client_for(world.customer_service)
    [item] = agent.get("/api/v1/follow-ups").json()
    assert item["withdrawal_number"] == follow_up.withdrawal.number
    url = f"/api/v1/follow-ups/{follow_up.pk}/contacts"
    assert_error(post_json(agent, url, {"party": "x", "channel": "phone"}), 422, "invalid_choice")
    r = post_json(agent, url, {"party": "prescriber", "channel": "email", "note": "Skickat"})
    assert r.status_code == 201 and len(r.json()["contacts"]) == 1
    assert_error(
        post_json(
            agent, "/api/v1/follow-ups/99999/contacts", {"party": "patient", "channel": "phone"}
        ),
        404,
        "not_found",
    )
