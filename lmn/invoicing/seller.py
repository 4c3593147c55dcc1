"""Who issues the invoices: the region, from settings (LMN_INVOICE_SELLER) with defaults."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Seller:
    name: str
    organisation_number: str  # 10 digits
    vat_number: str  # SE + organisation number + 01
    street: str
    postcode: str
    city: str
    bankgiro: str
    email: str

    @property
    def peppol_id(self) -> str:
        return self.organisation_number  # scheme 0007


DEFAULT = {
    "name": "Västra Götalandsregionen",
    "organisation_number": "2321000131",
    "vat_number": "SE232100013101",
    "street": "Regionens hus, Östergatan 1",
    "postcode": "46280",
    "city": "Vänersborg",
    "bankgiro": "50501055",
    "email": "lmn.faktura@example.se",
}


def seller() -> Seller:
    return Seller(**{**DEFAULT, **getattr(settings, "LMN_INVOICE_SELLER", {})})
