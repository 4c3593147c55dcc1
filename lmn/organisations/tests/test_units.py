"""Prescribing units and payers (UNIT-1, UNIT-2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lmn.organisations.models import Payer, PrescribingUnit, UnitPayer
from lmn.testing import factories as f


@pytest.mark.rule("UNIT-1")
@pytest.mark.parametrize("number", ["12345", "1234567", "60215a", ""])
def test_a_customer_number_is_exactly_six_digits(db: None, number: Any) -> None:
    unit = f.make_unit("602154")
    unit.customer_number = number
    with pytest.raises(ValidationError):
        unit.full_clean()


@pytest.mark.rule("UNIT-1")
def test_customer_numbers_are_unique(db: None) -> None:
    f.make_unit("602154")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_unit("602154")


@pytest.mark.rule("UNIT-1")
@pytest.mark.rule("UNIT-2")
def test_a_unit_has_one_payer_with_invoice_address_per_product_area(db: None) -> None:
    unit = f.make_unit("602154")
    links = UnitPayer.objects.filter(unit=unit).select_related("payer", "product_area")
    assert {link.product_area.code for link in links} == set(f.ALL_AREAS)
    assert all(link.payer.invoice_street and link.payer.invoice_postcode for link in links)
    other = Payer.objects.create(
        name="Kommunen", invoice_street="Box 9", invoice_postcode="41101", invoice_city="Göteborg"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitPayer.objects.create(unit=unit, product_area=f.area("stoma"), payer=other)
    assert PrescribingUnit.objects.get(pk=unit.pk).payers.count() == 5
