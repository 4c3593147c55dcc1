"""The monthly run against a month computed by hand (the `october` fixture):

diabetes payer of 602154 (a Peppol payer):
  U1 3 Oct   A × 3 at 100.00 (25 %) = 300.00    C × 7 at 33.33 (12 %) = 233.31
  U2 20 Oct  A × 2 at  80.00 (25 %) = 160.00    emergency fee 150.00 (25 %)
  U3 25 Oct  cancelled: nothing;  1 Nov 00:30 and 30 Sep 23:30 (Swedish time): other months
  25 %: 610.00 → VAT 152.50;  12 %: 233.31 → VAT 27.9972 → 28.00
  net 843.31, VAT 180.50, to pay 1023.81
nutrition payer of 602154 (UNIT-2: the same withdrawal U2, another payer):
  Näringsdryck × 4 at 100.00 (12 %) = 400.00 → VAT 48.00, to pay 448.00
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lmn.audit.models import AuditEvent
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.invoicing.models import ImmutableError, Invoice, InvoiceLine
from lmn.invoicing.services.run import run_invoicing
from lmn.testing import factories as f
from lmn.testing.types import World

from .builders import at, payer_of, withdrawal
from .conftest import October

OCT = dt.date(2026, 10, 1)
SYSTEM = Actor.system("test")


@pytest.mark.rule("INV-1", "UNIT-1", "UNIT-2")
def test_each_payer_gets_one_invoice_with_hand_computed_totals(october: October) -> None:
    run = run_invoicing(OCT, actor=SYSTEM)
    assert (run.issued, run.problems) == (2, [])
    diabetes = Invoice.objects.get(payer=october.diabetes_payer)
    assert (diabetes.net_total, diabetes.vat_total, diabetes.gross_total) == (
        Decimal("843.31"), Decimal("180.50"), Decimal("1023.81"),
    )  # fmt: skip
    assert diabetes.vat_breakdown == [
        {"category": "S", "percent": "25.00", "taxable": "610.00", "tax": "152.50"},
        {"category": "S", "percent": "12.00", "taxable": "233.31", "tax": "28.00"},
    ]
    lines = list(diabetes.lines.values_list("article_number", "quantity", "unit_price", "amount"))
    a, c = october.product_a.article_number, october.product_c.article_number
    assert lines == [
        (a, Decimal(3), Decimal("100.00"), Decimal("300.00")),  # the price on 3 Oct
        (c, Decimal(7), Decimal("33.33"), Decimal("233.31")),
        (a, Decimal(2), Decimal("80.00"), Decimal("160.00")),  # the price from 15 Oct (INV-1)
        ("", Decimal(1), Decimal("150.00"), Decimal("150.00")),  # the emergency fee
    ]
    line = diabetes.lines.first()
    assert line is not None and (line.customer_number, line.area_code) == ("602154", "diabetes")
    nutrition = Invoice.objects.get(payer=october.nutrition_payer)
    assert (nutrition.net_total, nutrition.vat_total, nutrition.gross_total) == (
        Decimal("400.00"), Decimal("48.00"), Decimal("448.00"),
    )  # fmt: skip
    assert diabetes.ubl and not nutrition.ubl  # only the Peppol payer gets UBL (INV-4)
    assert diabetes.pdf.startswith(b"%PDF") and nutrition.pdf.startswith(b"%PDF")


@pytest.mark.rule("INV-3")
def test_running_twice_creates_nothing_new(october: October) -> None:
    run_invoicing(OCT, actor=SYSTEM)
    again = run_invoicing(OCT, actor=SYSTEM)
    assert (again.issued, again.already_invoiced) == (0, 2)
    assert Invoice.objects.count() == 2 and InvoiceLine.objects.count() == 5
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2]


def test_a_month_with_no_withdrawals_issues_nothing_and_says_so(
    world: World, november: None
) -> None:
    run = run_invoicing(dt.date(2026, 8, 1), actor=SYSTEM)
    assert (run.issued, run.problems, Invoice.objects.count()) == (0, [], 0)


def test_a_month_not_over_cannot_be_invoiced(world: World, november: None) -> None:
    with pytest.raises(DomainError) as refused:
        run_invoicing(dt.date(2026, 11, 1), actor=SYSTEM)
    assert refused.value.code == "month_not_over"


@pytest.mark.rule("INV-3")
def test_a_payer_without_invoice_address_is_reported_and_the_others_invoiced(
    october: October,
) -> None:
    payer = october.nutrition_payer
    payer.invoice_street = ""
    payer.save()
    run = run_invoicing(OCT, actor=SYSTEM)
    assert run.issued == 1
    assert [p["code"] for p in run.problems] == ["payer_without_invoice_address"]
    assert not Invoice.objects.filter(payer=payer).exists()
    # the address given, the next run invoices it, next in the series
    payer.invoice_street = "Box 2"
    payer.save()
    assert run_invoicing(OCT, actor=SYSTEM).issued == 1
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2]


@pytest.mark.rule("INV-3")
def test_a_run_killed_halfway_leaves_no_half_invoice_and_no_gap(
    october: October, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lmn.invoicing.formats import pdf

    def killed(*args: object) -> bytes:
        raise KeyboardInterrupt  # the process dies while the first invoice is written

    monkeypatch.setattr(pdf, "render", killed)
    with pytest.raises(KeyboardInterrupt):
        run_invoicing(OCT, actor=SYSTEM)
    assert (Invoice.objects.count(), InvoiceLine.objects.count()) == (0, 0)
    monkeypatch.undo()
    assert run_invoicing(OCT, actor=SYSTEM).issued == 2
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2]


def test_a_missing_price_holds_that_payer_back(world: World, november: None) -> None:
    product = f.make_product("stoma", name="Utan pris")
    product.prices.all().delete()
    withdrawal(
        unit=world.unit, patient=world.patient, prescriber=world.doctor,
        placed_at=at(2026, 10, 3), lines=[(product, 1)],
    )  # fmt: skip
    run = run_invoicing(OCT, actor=SYSTEM)
    assert [p["code"] for p in run.problems] == ["price_missing"]
    assert Invoice.objects.count() == 0


@pytest.mark.rule("INV-2")
def test_an_issued_invoice_never_changes(october: October) -> None:
    run_invoicing(OCT, actor=SYSTEM)
    invoice = Invoice.objects.get(payer=october.diabetes_payer)
    invoice.buyer_name = "Annat namn"
    with pytest.raises(ImmutableError):
        invoice.save()
    with pytest.raises(ImmutableError):
        invoice.delete()
    line = invoice.lines.first()
    assert line is not None
    line.amount = Decimal(0)
    with pytest.raises(ImmutableError):
        line.save()
    # a later change of the payer's address does not touch the invoice as issued
    payer = october.diabetes_payer
    payer.invoice_street = "Ny gata 1"
    payer.save()
    invoice.refresh_from_db()
    assert invoice.buyer_street == "Box 1"


@pytest.mark.rule("INV-1", "UNIT-1", "ASYL-3", "ASYL-4")
def test_the_asylum_unit_601628_is_invoiced_for_what_is_ordered_there(
    world: World, november: None
) -> None:
    asylum = f.make_asylum_unit()
    # customer service granted the prescriber permission for 601628 (ASYL-4)
    f.add_membership(world.prescriber, unit=asylum, role="forskrivare", areas=["diabetes"])
    withdrawal(
        unit=asylum, patient=world.patient, prescriber=world.prescriber,
        placed_at=at(2026, 10, 7), lines=[(world.diabetes_product, 2)],
    )  # fmt: skip
    run_invoicing(OCT, actor=SYSTEM)
    invoice = Invoice.objects.get()
    assert invoice.payer == payer_of(asylum, "diabetes")
    assert invoice.lines.get().customer_number == "601628"
    assert invoice.gross_total == Decimal("250.00")


def test_issuing_is_audited(october: October) -> None:
    run_invoicing(OCT, actor=SYSTEM)
    assert AuditEvent.objects.filter(action="invoicing.invoice.issued").count() == 2


@pytest.mark.rule("INV-2")
def test_a_withdrawal_cancelled_after_invoicing_gets_a_credit_note(october: October) -> None:
    from lmn.withdrawals.models import Withdrawal

    run_invoicing(OCT, actor=SYSTEM)
    invoice = Invoice.objects.get(payer=october.diabetes_payer)
    # U2 (20 Oct) cancelled after the invoice went out: A × 2 at 80.00 here, and
    # Näringsdryck × 4 on the nutrition payer's invoice
    first = invoice.lines.order_by("position")[2]
    Withdrawal.objects.filter(number=first.withdrawal_number).update(status="cancelled")
    again = run_invoicing(OCT, actor=SYSTEM)
    assert (again.issued, again.credit_notes) == (0, 2)
    note = Invoice.objects.get(kind="credit_note", credits=invoice)
    assert note.net_total == Decimal("160.00") and note.reason == "Makulerat uttag"
    # nothing is credited twice
    assert run_invoicing(OCT, actor=SYSTEM).credit_notes == 0
    assert Invoice.objects.filter(kind="credit_note").count() == 2
