"""Lists of patients in the portal: every patient shown gets an audit event of its own."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.audit.services import verify_chain
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World


def _shown(action: str) -> list[int]:
    shown = AuditEvent.objects.filter(action=action).values_list("patient_id", flat=True)
    return sorted(cast(list[int], list(shown)))


def test_each_patient_in_the_name_search_result_is_audited(
    client_for: ClientFor, world: World
) -> None:
    born = {"first_name": "Eva", "last_name": "Lind", "birth_date": dt.date(1945, 12, 24)}
    hits = [f.make_patient(pnr, **born) for pnr in ("194512242498", "194512249998")]
    f.make_patient(f.PERSONNUMMER[3], first_name="Eva", last_name="Lind")

    response = client_for(world.prescriber).post(
        reverse("web:advanced_search"), {"name": "Eva Lind", "birth_date": "19451224"}
    )

    html = response.content.decode()
    assert all(reverse("web:patient", args=[p.pk]) in html for p in hits)
    assert _shown("patients.patient.listed") == sorted(p.pk for p in hits)
    assert verify_chain() is None


def test_each_resident_on_the_ward_page_is_audited(client_for: ClientFor, world: World) -> None:
    residents = [f.make_resident(world.ward, pnr) for pnr in f.PERSONNUMMER[1:4]]

    response = client_for(world.orderer).get(reverse("web:ward"))

    assert response.status_code == 200
    assert _shown("withdrawals.ward_overview.resident_shown") == sorted(p.pk for p in residents)
    assert verify_chain() is None


def test_each_case_in_my_cases_is_audited(client_for: ClientFor, world: World) -> None:
    f.make_asylum_unit()
    cases = [
        f.make_case(kind, user=world.prescriber, unit=world.unit, product=world.diabetes_product)
        for kind in ("asylum", "without_permit")
    ]

    response = client_for(world.prescriber).get(reverse("web:cases"))

    assert response.status_code == 200
    listed = AuditEvent.objects.filter(action="cases.case.listed", channel="web")
    assert sorted(listed.values_list("object_id", flat=True)) == sorted(str(c.pk) for c in cases)
