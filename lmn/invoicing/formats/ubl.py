"""Peppol BIS Billing 3.0: a UBL 2.1 Invoice or CreditNote (INV-4).

Written as text line by line (lines are read from the database in chunks), in the
element order the UBL schema demands. The README lists the business rules the tests
check against this output.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from ..rules import next_month
from ..seller import Seller, seller

if TYPE_CHECKING:
    from ..models import Invoice, InvoiceLine
    from ..rules import Totals

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {
    "invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "credit_note": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
UNIT_CODE = "C62"  # "one": the unit of the price is the product's ordering unit
CURRENCY = "SEK"


def _e(tag: str, value: object, **attrs: str) -> str:
    attributes = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<{tag}{attributes}>{escape(str(value))}</{tag}>"


def _amount(tag: str, value: Decimal) -> str:
    return _e(tag, f"{value:.2f}", currencyID=CURRENCY)


def render(invoice: Invoice, totals: Totals) -> bytes:
    out = io.StringIO()
    for part in _document(invoice, totals, seller()):
        out.write(part)
    return out.getvalue().encode("utf-8")


def _document(invoice: Invoice, totals: Totals, s: Seller) -> Iterator[str]:
    credit = invoice.is_credit_note
    root = "CreditNote" if credit else "Invoice"
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f'<{root} xmlns="{NS[invoice.kind]}" xmlns:cac="{CAC}" xmlns:cbc="{CBC}">\n'
        f"{_e('cbc:CustomizationID', CUSTOMIZATION)}{_e('cbc:ProfileID', PROFILE)}"
        f"{_e('cbc:ID', invoice.number)}{_e('cbc:IssueDate', invoice.issue_date.isoformat())}"
    )
    if not credit:
        yield _e("cbc:DueDate", invoice.due_date.isoformat())
    yield _e("cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", 381 if credit else 380)
    if invoice.reason:
        yield _e("cbc:Note", invoice.reason)
    yield _e("cbc:DocumentCurrencyCode", CURRENCY)
    # BT-10; PEPPOL-EN16931-R003 wants a buyer or order reference: the payer's, else its name
    yield _e("cbc:BuyerReference", invoice.buyer_reference or invoice.buyer_name)
    yield from _period_and_reference(invoice)
    yield from _parties(invoice, s)
    yield from _payment(invoice, s)
    yield from _totals(totals)
    for line in invoice.lines.order_by("position").iterator(chunk_size=2000):
        yield _line(line, credit)
    yield f"</{root}>\n"


def _period_and_reference(invoice: Invoice) -> Iterator[str]:
    end = next_month(invoice.period).toordinal() - 1
    yield (
        f"<cac:InvoicePeriod>{_e('cbc:StartDate', invoice.period.isoformat())}"
        f"{_e('cbc:EndDate', type(invoice.period).fromordinal(end).isoformat())}"
        "</cac:InvoicePeriod>"
    )
    if invoice.credits is not None:  # BT-25: the invoice the credit note corrects
        yield (
            "<cac:BillingReference><cac:InvoiceDocumentReference>"
            f"{_e('cbc:ID', invoice.credits.number)}"
            f"{_e('cbc:IssueDate', invoice.credits.issue_date.isoformat())}"
            "</cac:InvoiceDocumentReference></cac:BillingReference>"
        )


def _address(street: str, city: str, postcode: str) -> str:
    return (
        f"<cac:PostalAddress>{_e('cbc:StreetName', street)}{_e('cbc:CityName', city)}"
        f"{_e('cbc:PostalZone', postcode)}"
        f"<cac:Country>{_e('cbc:IdentificationCode', 'SE')}</cac:Country></cac:PostalAddress>"
    )


def _parties(invoice: Invoice, s: Seller) -> Iterator[str]:
    yield (
        "<cac:AccountingSupplierParty><cac:Party>"
        f"{_e('cbc:EndpointID', s.peppol_id, schemeID='0007')}"
        f"{_address(s.street, s.city, s.postcode)}"
        f"<cac:PartyTaxScheme>{_e('cbc:CompanyID', s.vat_number)}"
        f"<cac:TaxScheme>{_e('cbc:ID', 'VAT')}</cac:TaxScheme></cac:PartyTaxScheme>"
        # SE-R-004: a Swedish seller states that it is approved for F-tax
        f"<cac:PartyTaxScheme>{_e('cbc:CompanyID', 'Godkänd för F-skatt')}"
        f"<cac:TaxScheme>{_e('cbc:ID', 'TAX')}</cac:TaxScheme></cac:PartyTaxScheme>"
        f"<cac:PartyLegalEntity>{_e('cbc:RegistrationName', s.name)}"
        f"{_e('cbc:CompanyID', s.organisation_number, schemeID='0007')}</cac:PartyLegalEntity>"
        f"<cac:Contact>{_e('cbc:ElectronicMail', s.email)}</cac:Contact>"
        "</cac:Party></cac:AccountingSupplierParty>"
    )
    legal_id = (
        _e("cbc:CompanyID", invoice.buyer_organisation_number, schemeID="0007")
        if invoice.buyer_organisation_number
        else ""
    )
    yield (
        "<cac:AccountingCustomerParty><cac:Party>"
        f"{_e('cbc:EndpointID', invoice.buyer_peppol_id, schemeID=invoice.buyer_peppol_scheme)}"
        f"{_address(invoice.buyer_street, invoice.buyer_city, invoice.buyer_postcode)}"
        f"<cac:PartyLegalEntity>{_e('cbc:RegistrationName', invoice.buyer_name)}{legal_id}"
        "</cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>"
    )


def _payment(invoice: Invoice, s: Seller) -> Iterator[str]:
    if invoice.is_credit_note:
        return
    yield (
        f"<cac:PaymentMeans>{_e('cbc:PaymentMeansCode', 30)}{_e('cbc:PaymentID', invoice.number)}"
        f"<cac:PayeeFinancialAccount>{_e('cbc:ID', s.bankgiro)}"
        f"<cac:FinancialInstitutionBranch>{_e('cbc:ID', 'SE:BANKGIRO')}"
        "</cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount></cac:PaymentMeans>"
        f"<cac:PaymentTerms>{_e('cbc:Note', '30 dagar netto')}</cac:PaymentTerms>"
    )


def _totals(totals: Totals) -> Iterator[str]:
    yield f"<cac:TaxTotal>{_amount('cbc:TaxAmount', totals.vat)}"
    for row in totals.breakdown():
        yield (
            f"<cac:TaxSubtotal>{_amount('cbc:TaxableAmount', Decimal(row['taxable']))}"
            f"{_amount('cbc:TaxAmount', Decimal(row['tax']))}"
            f"<cac:TaxCategory>{_e('cbc:ID', row['category'])}"
            f"{_e('cbc:Percent', row['percent'])}"
            f"<cac:TaxScheme>{_e('cbc:ID', 'VAT')}</cac:TaxScheme></cac:TaxCategory>"
            "</cac:TaxSubtotal>"
        )
    gross = totals.net + totals.vat
    yield (
        f"</cac:TaxTotal><cac:LegalMonetaryTotal>{_amount('cbc:LineExtensionAmount', totals.net)}"
        f"{_amount('cbc:TaxExclusiveAmount', totals.net)}"
        f"{_amount('cbc:TaxInclusiveAmount', gross)}{_amount('cbc:PayableAmount', gross)}"
        "</cac:LegalMonetaryTotal>\n"
    )


def _line(line: InvoiceLine, credit: bool) -> str:
    tag, quantity = ("CreditNote", "Credited") if credit else ("Invoice", "Invoiced")
    note = f"{line.withdrawal_number} {line.withdrawal_date.isoformat()} {line.customer_number}"
    article = (
        f"<cac:SellersItemIdentification>{_e('cbc:ID', line.article_number)}"
        "</cac:SellersItemIdentification>"
        if line.article_number
        else ""
    )
    return (
        f"<cac:{tag}Line>{_e('cbc:ID', line.position)}{_e('cbc:Note', note.strip())}"
        f"{_e(f'cbc:{quantity}Quantity', f'{line.quantity:.2f}', unitCode=UNIT_CODE)}"
        f"{_amount('cbc:LineExtensionAmount', line.amount)}"
        f"<cac:Item>{_e('cbc:Name', line.description)}{article}"
        f"<cac:ClassifiedTaxCategory>{_e('cbc:ID', line.vat_category)}"
        f"{_e('cbc:Percent', f'{line.vat_percent:.2f}')}"
        f"<cac:TaxScheme>{_e('cbc:ID', 'VAT')}</cac:TaxScheme></cac:ClassifiedTaxCategory>"
        f"</cac:Item><cac:Price>{_amount('cbc:PriceAmount', line.unit_price)}</cac:Price>"
        f"</cac:{tag}Line>\n"
    )
