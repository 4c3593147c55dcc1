"""Peppol BIS Billing 3.0 and EN 16931 business rules, checked on UBL 2.1 as issued (INV-4).

Each check returns the IDs of the rules a document breaks (empty: all kept). Written
from the rule texts of the specification; the README lists the rules covered here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CENT = Decimal("0.01")

SUPPLIER = "cac:AccountingSupplierParty/cac:Party/"
CUSTOMER = "cac:AccountingCustomerParty/cac:Party/"
MANDATORY = {  # rule: path from the root (cbc:/cac: short forms)
    "BR-01": "cbc:CustomizationID",
    "BR-02": "cbc:ID",
    "BR-03": "cbc:IssueDate",
    "BR-05": "cbc:DocumentCurrencyCode",
    "BR-06": "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
    "BR-07": "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
    "BR-08": "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress",
    "BR-09": SUPPLIER + "cac:PostalAddress/cac:Country/cbc:IdentificationCode",
    "BR-10": "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress",
    "BR-11": CUSTOMER + "cac:PostalAddress/cac:Country/cbc:IdentificationCode",
    "BR-12": "cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
    "BR-13": "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
    "BR-14": "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
    "BR-15": "cac:LegalMonetaryTotal/cbc:PayableAmount",
    "PEPPOL-EN16931-R001": "cbc:ProfileID",
    "PEPPOL-EN16931-R010": "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID",
    "PEPPOL-EN16931-R020": "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID",
}


def _path(path: str) -> str:
    return path.replace("cbc:", CBC).replace("cac:", CAC)


def _dec(node: ET.Element | None) -> Decimal:
    assert node is not None and node.text is not None
    return Decimal(node.text)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def broken_rules(document: bytes) -> set[str]:
    root = ET.fromstring(document)
    credit = root.tag.endswith("}CreditNote")
    broken: set[str] = set()
    for rule, path in MANDATORY.items():
        found = root.find(_path(path))
        if found is None or not (found.text or len(found)):
            broken.add(rule)
    type_code = "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode"
    if root.find(_path(type_code)) is None:
        broken.add("BR-04")
    broken |= _peppol(root)
    lines = root.findall(_path("cac:CreditNoteLine" if credit else "cac:InvoiceLine"))
    if not lines:
        broken.add("BR-16")
    broken |= _lines(lines, credit)
    broken |= _sums(root, lines)
    if (
        credit
        and root.find(_path("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")) is None
    ):
        broken.add("BR-55")  # here: a credit note names the invoice it corrects (INV-2)
    return broken


def _peppol(root: ET.Element) -> set[str]:
    broken = set()
    if root.findtext(_path("cbc:CustomizationID")) != CUSTOMIZATION:
        broken.add("PEPPOL-EN16931-R004")
    if root.findtext(_path("cbc:ProfileID")) != PROFILE:
        broken.add("PEPPOL-EN16931-R007")
    if not (
        root.findtext(_path("cbc:BuyerReference"))
        or root.find(_path("cac:OrderReference/cbc:ID")) is not None
    ):
        broken.add("PEPPOL-EN16931-R003")
    if any(not (e.text or "").strip() and len(e) == 0 for e in root.iter()):
        broken.add("PEPPOL-EN16931-R008")  # no empty elements
    currency = root.findtext(_path("cbc:DocumentCurrencyCode"))
    if any(e.get("currencyID") not in (None, currency) for e in root.iter()):
        broken.add("PEPPOL-EN16931-R051")
    totals = root.findall(_path("cac:TaxTotal"))
    if len([t for t in totals if t.find(_path("cac:TaxSubtotal")) is not None]) != 1:
        broken.add("PEPPOL-EN16931-R053")
    if len([t for t in totals if t.find(_path("cac:TaxSubtotal")) is None]) > 1:
        broken.add("PEPPOL-EN16931-R054")
    for endpoint in root.iter(f"{CBC}EndpointID"):
        if endpoint.get("schemeID") not in {"0007", "0088"}:
            broken.add("PEPPOL-EN16931-R010")
    return broken


def _lines(lines: list[ET.Element], credit: bool) -> set[str]:
    broken = set()
    quantity_tag = _path("cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity")
    for line in lines:
        quantity, net = line.find(quantity_tag), line.find(_path("cbc:LineExtensionAmount"))
        price = line.find(_path("cac:Price/cbc:PriceAmount"))
        for rule, node in [
            ("BR-21", line.find(_path("cbc:ID"))), ("BR-22", quantity), ("BR-24", net),
            ("BR-25", line.find(_path("cac:Item/cbc:Name"))), ("BR-26", price),
            ("BR-CO-04", line.find(_path("cac:Item/cac:ClassifiedTaxCategory/cbc:ID"))),
        ]:  # fmt: skip
            if node is None or not node.text:
                broken.add(rule)
        if quantity is not None and not quantity.get("unitCode"):
            broken.add("BR-23")
        if price is not None and _dec(price) < 0:
            broken.add("BR-27")
        if None not in (quantity, net, price) and _money(_dec(quantity) * _dec(price)) != _dec(net):
            broken.add("PEPPOL-EN16931-R120")
        for amount in (net, price):
            if amount is not None and -_dec(amount).as_tuple().exponent > 2:  # type: ignore[operator]
                broken.add("BR-DEC-23")
    return broken


def _sums(root: ET.Element, lines: list[ET.Element]) -> set[str]:
    broken = set()
    total = root.find(_path("cac:LegalMonetaryTotal"))
    if total is None:
        return {"BR-12"}
    line_sum = sum((_dec(x.find(_path("cbc:LineExtensionAmount"))) for x in lines), Decimal(0))
    extension = _dec(total.find(_path("cbc:LineExtensionAmount")))
    exclusive = _dec(total.find(_path("cbc:TaxExclusiveAmount")))
    inclusive = _dec(total.find(_path("cbc:TaxInclusiveAmount")))
    payable = _dec(total.find(_path("cbc:PayableAmount")))
    tax_total = root.find(_path("cac:TaxTotal"))
    subtotals = tax_total.findall(_path("cac:TaxSubtotal")) if tax_total is not None else []
    tax = _dec(tax_total.find(_path("cbc:TaxAmount"))) if tax_total is not None else Decimal(0)
    if line_sum != extension:
        broken.add("BR-CO-10")
    if exclusive != extension:  # no document allowances or charges
        broken.add("BR-CO-13")
    if tax != sum((_dec(s.find(_path("cbc:TaxAmount"))) for s in subtotals), Decimal(0)):
        broken.add("BR-CO-14")
    if inclusive != exclusive + tax:
        broken.add("BR-CO-15")
    prepaid = total.find(_path("cbc:PrepaidAmount"))
    rounding = total.find(_path("cbc:PayableRoundingAmount"))
    expected = (
        inclusive
        - (_dec(prepaid) if prepaid is not None else 0)
        + (_dec(rounding) if rounding is not None else 0)
    )
    if payable != expected:
        broken.add("BR-CO-16")
    if not subtotals:
        broken.add("BR-CO-18")
    if (
        payable > 0
        and root.find(_path("cbc:DueDate")) is None
        and root.find(_path("cac:PaymentTerms/cbc:Note")) is None
    ):
        if not root.tag.endswith("}CreditNote"):
            broken.add("BR-CO-25")
    return broken | _per_rate(root, lines, subtotals)


def _per_rate(root: ET.Element, lines: list[ET.Element], subtotals: list[ET.Element]) -> set[str]:
    """BR-S-08/09, BR-Z-08/09, BR-CO-17: one subtotal per rate, its sums from its lines."""
    broken = set()
    by_rate: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    for line in lines:
        category = line.find(_path("cac:Item/cac:ClassifiedTaxCategory"))
        assert category is not None
        key = (category.findtext(_path("cbc:ID")) or "", _dec(category.find(_path("cbc:Percent"))))
        by_rate[key] += _dec(line.find(_path("cbc:LineExtensionAmount")))
        if key[0] == "S" and key[1] <= 0:
            broken.add("BR-S-05")
        if key[0] == "Z" and key[1] != 0:
            broken.add("BR-Z-05")
    seen = {}
    for sub in subtotals:
        category = sub.find(_path("cac:TaxCategory"))
        assert category is not None
        key = (category.findtext(_path("cbc:ID")) or "", _dec(category.find(_path("cbc:Percent"))))
        seen[key] = sub
        taxable, tax = (
            _dec(sub.find(_path("cbc:TaxableAmount"))),
            _dec(sub.find(_path("cbc:TaxAmount"))),
        )
        if _money(taxable * key[1] / 100) != tax:
            broken.add("BR-CO-17")
            broken.add({"S": "BR-S-09", "Z": "BR-Z-09"}.get(key[0], "BR-CO-17"))
        if taxable != by_rate.get(key):
            broken.add({"S": "BR-S-08", "Z": "BR-Z-08"}.get(key[0], "BR-CO-17"))
    if set(seen) != set(by_rate):
        broken.add("BR-S-08")
    if any(k[0] == "S" for k in by_rate):
        vat_ids = [
            s.findtext(_path("cbc:CompanyID"))
            for s in root.findall(_path("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"))
            if s.findtext(_path("cac:TaxScheme/cbc:ID")) == "VAT"
        ]
        if not vat_ids:
            broken.add("BR-S-02")
        elif not all(
            v and v.startswith("SE") and len(v) == 14 and v.endswith("01") for v in vat_ids
        ):
            broken.add("SE-R-001")
    return broken
