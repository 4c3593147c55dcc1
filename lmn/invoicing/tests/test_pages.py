"""LMN administration's invoicing and price list pages (INV-1, INV-2, INV-4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lmn.catalog.models import PriceImport
from lmn.catalog.services import process_price_import
from lmn.core.actor import Actor
from lmn.invoicing.models import Invoice
from lmn.testing import factories as f

from .conftest import October


@pytest.fixture(autouse=True)
def _emails_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lmn.web.middleware.email_gate_closed", lambda actor, *, today: False)


@pytest.fixture
def admin(client: Client, db: None) -> Client:
    client.force_login(f.make_admin("admin"))
    return client


def _text(response: Any) -> str:
    return str(response.content.decode())


@pytest.mark.rule("INV-1", "INV-4")
def test_administration_runs_a_month_and_downloads_what_was_issued(
    october: October, admin: Client
) -> None:
    response = admin.post("/administration/fakturering/", {"month": "2026-10"}, follow=True)
    assert response.status_code == 200
    assert "2 fakturor skapade" in _text(response)
    invoice = Invoice.objects.get(payer=october.diabetes_payer)
    page = admin.get(f"/administration/fakturering/{invoice.pk}/")
    assert "1023,81" in _text(page) and "Ref 4711" in _text(page)
    pdf = admin.get(f"/administration/fakturering/{invoice.pk}/faktura.pdf")
    assert pdf.content == bytes(invoice.pdf) and pdf["Content-Type"] == "application/pdf"
    ubl = admin.get(f"/administration/fakturering/{invoice.pk}/peppol.xml")
    assert ubl.content == bytes(invoice.ubl)
    csv = admin.get(f"/administration/fakturering/{invoice.pk}/rader.csv")
    assert b"".join(csv.streaming_content).count(b"\n") == 5  # type: ignore[attr-defined]
    other = Invoice.objects.get(payer=october.nutrition_payer)  # no Peppol id: no UBL
    assert admin.get(f"/administration/fakturering/{other.pk}/peppol.xml").status_code == 404


def test_a_bad_month_is_shown_on_its_field(october: October, admin: Client) -> None:
    for month, message in [
        ("oktober", "ÅÅÅÅ-MM"),
        ("2026-11", "bara att fakturera en månad som är slut"),
    ]:
        response = admin.post("/administration/fakturering/", {"month": month})
        assert response.status_code == 200
        assert message in _text(response) and "nhsuk-error-summary" in _text(response)
    assert Invoice.objects.count() == 0


@pytest.mark.rule("INV-2")
def test_a_credit_note_from_the_page_and_one_too_large_refused_on_the_field(
    october: October, admin: Client
) -> None:
    admin.post("/administration/fakturering/", {"month": "2026-10"})
    invoice = Invoice.objects.get(payer=october.diabetes_payer)
    url = f"/administration/fakturering/{invoice.pk}/"
    too_many = admin.post(url, {"position": "1", "quantity": "4", "reason": "Retur"})
    assert "Det går inte att kreditera mer" in _text(too_many)
    made = admin.post(url, {"position": "1", "quantity": "3", "reason": "Retur"}, follow=True)
    assert "Kreditnota 3 är skapad" in _text(made)
    note = Invoice.objects.get(kind="credit_note")
    assert note.credits == invoice and note.net_total == 300
    rest = admin.post(url, {"whole": "on", "reason": "Allt fel"}, follow=True)
    assert "Kreditnota 4 är skapad" in _text(rest)
    assert Invoice.objects.get(number=4).net_total == invoice.net_total - 300
    nothing_left = admin.post(url, {"whole": "on", "reason": "Igen"})
    assert "Välj minst en rad" in _text(nothing_left)


def test_a_price_list_is_uploaded_and_its_report_shown(world: Any, admin: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"artikelnummer;pris;giltig_fran;moms\n123;-1;2027-01-01;25\n"
    response = admin.post(
        "/administration/prislistor/", {"file": SimpleUploadedFile("lista.csv", body)}
    )
    job = PriceImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/")
    waiting = admin.get(f"/administration/prislistor/{job.pk}/")
    assert "<progress" in _text(waiting) and "every 2s" in _text(waiting)
    process_price_import(job.pk, actor=Actor.system("test"))
    done = admin.get(f"/administration/prislistor/{job.pk}/", headers={"HX-Request": "true"})
    assert "Priset får inte vara negativt" in _text(done) and "<progress" not in _text(done)
    wrong = admin.post(
        "/administration/prislistor/", {"file": SimpleUploadedFile("lista.pdf", b"%PDF")}
    )
    assert "CSV- eller Excelfil" in _text(wrong)
