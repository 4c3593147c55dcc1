"""Lists of patients over the API: every patient shown gets an audit event of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lmn.api.tests.conftest import client_for
from lmn.audit.models import AuditEvent
from lmn.audit.services import verify_chain
from lmn.testing import factories as f


def _shown(action: str) -> list[int | None]:
    return sorted(
        AuditEvent.objects.filter(action=action).values_list("patient_id", flat=True),
        key=lambda pk: pk or 0,
    )


def test_each_patient_in_a_name_search_result_is_audited(world: Any) -> None:
    born = {"first_name": "Eva", "last_name": "Lind", "birth_date": dt.date(1945, 12, 24)}
    # two records on one birth date (e.g. a later "- UT" record), and one on another
    hits = [f.make_patient(pnr, **born) for pnr in ("194512242498", "194512249998")]
    f.make_patient(f.PERSONNUMMER[3], first_name="Eva", last_name="Lind")

    r = client_for(world.prescriber, world.unit).get(
        "/api/v1/patients/search", {"name": "Eva Lind", "birth_date": "1945-12-24"}
    )

    assert r.status_code == 200, r.content
    assert sorted(p["id"] for p in r.json()) == sorted(p.pk for p in hits)
    assert _shown("patients.patient.listed") == sorted(p.pk for p in hits)
    assert set(
        AuditEvent.objects.filter(action="patients.patient.listed").values_list(
            "channel", flat=True
        )
    ) == {"api"}
    assert verify_chain() is None


def test_each_resident_of_the_ward_overview_is_audited(world: Any) -> None:
    residents = [f.make_resident(world.ward, pnr) for pnr in f.PERSONNUMMER[1:4]]

    r = client_for(world.orderer, world.ward).get("/api/v1/wards/603001/residents")

    assert r.status_code == 200, r.content
    assert len(r.json()["residents"]) == 3
    assert _shown("withdrawals.ward_overview.resident_shown") == sorted(p.pk for p in residents)
    assert verify_chain() is None


def test_each_case_in_the_case_list_is_audited_with_its_patient(world: Any) -> None:
    f.make_asylum_unit()
    ooa = f.make_product("incontinence", procured=False, stocked=False)
    asylum = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    about_patient = f.make_case(
        "out_of_assortment",
        user=world.prescriber,
        unit=world.unit,
        product=ooa,
        patient=world.patient,
    )

    r = client_for(world.prescriber, world.unit).get("/api/v1/cases")

    assert r.status_code == 200, r.content
    assert {c["last_name"] for c in r.json()} >= {"Yusuf"}  # names and LMA numbers are shown
    events = AuditEvent.objects.filter(action="cases.case.listed")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        [str(asylum.pk), str(about_patient.pk)]
    )
    assert events.get(object_id=str(about_patient.pk)).patient_id == world.patient.pk
    assert events.get(object_id=str(asylum.pk)).patient_id is None


def test_customer_services_queue_audits_each_open_case(world: Any) -> None:
    f.make_asylum_unit()
    for kind in ("asylum", "without_permit"):
        f.make_case(kind, user=world.prescriber, unit=world.unit, product=world.diabetes_product)

    r = client_for(world.customer_service, None).get("/api/v1/cases")

    assert r.status_code == 200, r.content
    assert len(r.json()) == 2
    assert AuditEvent.objects.filter(action="cases.case.listed", channel="api").count() == 2
