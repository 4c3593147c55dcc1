from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.invoicing.formats import csv as invoice_csv
from lmn.invoicing.models import Invoice
from lmn.invoicing.services.credit import credit_invoice
from lmn.invoicing.services.run import run_invoicing

from .conftest import October
from .peppol_rules import CBC, broken_rules

OCT = dt.date(2026, 10, 1)
SYSTEM = Actor.system("test")


def _issued(october: October) -> Invoice:
    run_invoicing(OCT, actor=SYSTEM)
    return Invoice.objects.get(payer=october.diabetes_payer)


@pytest.mark.rule("INV-2")
def test_a_credit_note_refers_to_the_invoice_and_is_numbered_in_the_same_series(
    october: October,
) -> None:
    invoice = _issued(october)
    a_line, c_line = invoice.lines.order_by("position")[:2]
    note = credit_invoice(
        invoice, {a_line.pk: Decimal(1), c_line.pk: Decimal(7)}, reason="Retur", actor=SYSTEM
    )
    assert (note.kind, note.credits, note.number) == ("credit_note", invoice, 3)
    # A × 1 at 100.00 (25 %) and C × 7 at 33.33 (12 %): 100.00 + 25.00, 233.31 + 28.00
    assert (note.net_total, note.vat_total, note.gross_total) == (
        Decimal("333.31"), Decimal("53.00"), Decimal("386.31"),
    )  # fmt: skip
    assert note.pdf.startswith(b"%PDF") and note.ubl
    root = ET.fromstring(note.ubl)
    assert root.tag.endswith("}CreditNote")
    assert root.findtext(f".//{{*}}BillingReference//{CBC}ID") == str(invoice.number)


@pytest.mark.rule("INV-2")
def test_a_credit_note_cannot_exceed_its_invoice(october: October) -> None:
    invoice = _issued(october)
    a_line = invoice.lines.order_by("position").first()
    assert a_line is not None  # A × 3
    credit_invoice(invoice, {a_line.pk: Decimal(2)}, reason="Retur", actor=SYSTEM)
    with pytest.raises(DomainError) as refused:
        credit_invoice(invoice, {a_line.pk: Decimal(2)}, reason="Retur igen", actor=SYSTEM)
    assert refused.value.code == "credit_exceeds_invoice"
    for bad, code in [
        ({a_line.pk: Decimal(0)}, "credit_quantity_not_positive"),
        ({a_line.pk + 999: Decimal(1)}, "credit_line_unknown"),
        ({}, "credit_empty"),
    ]:
        with pytest.raises(DomainError) as refused:
            credit_invoice(invoice, bad, reason="x", actor=SYSTEM)
        assert refused.value.code == code
    assert Invoice.objects.filter(kind="credit_note").count() == 1
    # nothing was taken from the series by the refusals
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.rule("INV-4")
def test_the_invoice_and_credit_note_keep_the_peppol_and_en16931_rules(
    october: October,
) -> None:
    invoice = _issued(october)  # two VAT rates, a fee, a price change within the month
    lines = list(invoice.lines.order_by("position"))
    note = credit_invoice(
        invoice, {lines[1].pk: Decimal(3), lines[3].pk: Decimal(1)}, reason="Fel", actor=SYSTEM
    )
    for document in (invoice.ubl, note.ubl):
        assert broken_rules(bytes(document)) == set()


@pytest.mark.rule("INV-4")
def test_the_rule_checks_find_broken_documents(october: October) -> None:
    """The checker itself: a wrong sum, a missing term, a wrong VAT amount are found."""
    good = bytes(_issued(october).ubl).decode()
    assert "BR-CO-10" in broken_rules(
        good.replace(
            '<cbc:LineExtensionAmount currencyID="SEK">843.31<',
            '<cbc:LineExtensionAmount currencyID="SEK">843.30<',
        ).encode()
    )
    assert "PEPPOL-EN16931-R003" in broken_rules(
        good.replace("<cbc:BuyerReference>Ref 4711</cbc:BuyerReference>", "").encode()
    )
    assert {"BR-CO-17", "BR-S-09"} <= broken_rules(good.replace(">152.50<", ">152.49<", 1).encode())
    assert "PEPPOL-EN16931-R120" in broken_rules(
        good.replace(
            ">300.00</cbc:LineExtensionAmount>", ">301.00</cbc:LineExtensionAmount>"
        ).encode()
    )


def test_the_csv_lists_every_line(october: October) -> None:
    invoice = _issued(october)
    text = "".join(invoice_csv.rows(invoice)).lstrip("\ufeff").splitlines()
    assert text[0].startswith("fakturanummer;rad;typ;uttagsnummer")
    assert len(text) == 1 + 4
    assert text[2].endswith(";7,00;st;33,33;12,00;233,31")
