"""The auditor's log follow-up in the portal (PDL-3) and the log extract PDF (PDL-4)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.logreview.models import ReviewMark
from lmn.patients.services import get_patient
from lmn.patients.services.care import state_care_relationship
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World

URL = "/granskning/"


@pytest.fixture
def auditor(world: World) -> Any:
    return f.make_user("granskare", unit=None, role=Role.AUDITOR, areas=[])


@pytest.fixture
def accessed(world: World) -> Any:
    outsider = world.actor(world.outsider)
    get_patient(world.patient.pk, actor=outsider)
    return state_care_relationship(world.patient, reason="Besök", actor=outsider)


@pytest.mark.rule("PDL-3")
def test_the_auditor_lists_accesses_to_a_patient_and_outside_own_unit(
    world: World, client_for: ClientFor, auditor: Any, accessed: Any
) -> None:
    client = client_for(auditor)
    page = client.get(URL, {"view": "patient", "identifier": "19121212-1212"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Läste patientens uppgifter" in body and "Angav vårdrelation" in body
    outside = client.get(URL, {"view": "outside"}).content.decode()
    assert "Angav vårdrelation" in outside
    assert "Läste patientens uppgifter" not in outside
    assert AuditEvent.objects.filter(action="logreview.followup.read").count() == 2


@pytest.mark.rule("PDL-3")
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"view": "patient", "identifier": ""}, "Ange patientens personnummer"),
        ({"view": "patient", "identifier": "19121212-1213"}, "Personnumret är inte giltigt"),
        ({"view": "patient", "identifier": "19760808-0813"}, "LMN har ingen patient"),
        ({"view": "user", "hsa_id": " "}, "Ange användarens HSA-id"),
        ({"view": "sample", "unit": "12", "month": "2026-13"}, "sexsiffriga kundnummer"),
        ({"view": "outside", "since": "2026-11-30", "until": "2026-11-01"}, "efter till-datumet"),
        ({"view": "nonsense"}, "nhsuk-error-message"),
        ({"view": "outside", "since": "igår"}, "nhsuk-error-message"),
    ],
)
def test_bad_follow_up_input_is_shown_on_the_form(
    world: World, client_for: ClientFor, auditor: Any, params: dict[str, str], message: str
) -> None:
    page = client_for(auditor).get(URL, params)
    assert page.status_code == 200
    assert message in page.content.decode()


@pytest.mark.rule("PDL-3")
def test_a_review_is_recorded_with_its_comment_and_shown(
    world: World, client_for: ClientFor, auditor: Any, accessed: Any
) -> None:
    client = client_for(auditor)
    event = AuditEvent.objects.get(action="patients.care_relationship")
    review = reverse("web:review_access", args=[event.pk])
    client.post(review, {"comment": ""})
    assert not ReviewMark.objects.exists()
    response = client.post(review, {"comment": "Styrkt i journal", "next": "?view=outside"})
    assert response.status_code == 302
    assert ReviewMark.objects.get().comment == "Styrkt i journal"
    assert "Styrkt i journal" in client.get(URL, {"view": "outside"}).content.decode()
    missing = client.post(reverse("web:review_access", args=[999_999]), {"comment": "x"})
    assert missing.status_code == 404


@pytest.mark.rule("PDL-3")
def test_exports_as_csv_and_pdf(
    world: World, client_for: ClientFor, auditor: Any, accessed: Any
) -> None:
    client = client_for(auditor)
    exported = client.get(URL, {"view": "outside", "export": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode()), delimiter=";"))
    assert rows[0][0] == "Tid"
    assert [r[6] for r in rows[1:]] == ["Angav vårdrelation"]
    pdf = client.get(URL, {"view": "outside", "export": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.rule("PDL-3")
def test_the_auditor_reads_no_patient_records_and_others_no_follow_up(
    world: World, client_for: ClientFor, auditor: Any
) -> None:
    client = client_for(auditor)
    assert client.get(reverse("web:patient", args=[world.patient.pk])).status_code == 403
    assert client_for(world.prescriber).get(URL).status_code == 403
    assert client_for(world.customer_service).get(URL).status_code == 403


@pytest.mark.rule("PDL-4")
def test_customer_service_and_the_auditor_produce_the_extract_pdf(
    world: World, client_for: ClientFor, auditor: Any, accessed: Any
) -> None:
    cs = client_for(world.customer_service)
    url = reverse("web:extract_for_customer_service", args=[world.patient.pk])
    response = cs.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    produced = AuditEvent.objects.get(action="logreview.extract.produced")
    assert produced.patient_id == world.patient.pk
    client = client_for(auditor)
    extract = client.get(reverse("web:extract_for_auditor"), {"identifier": "191212121212"})
    assert extract["Content-Type"] == "application/pdf"
    bad = client.get(reverse("web:extract_for_auditor"), {"identifier": "x" * 40})
    assert bad.status_code == 302
