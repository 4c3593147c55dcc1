"""The patient search field and the advanced search of the case pages (issue 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from lmn.testing import factories as f
from lmn.testing.types import World

from .helpers import _html, _person, _protected_withdrawal


@pytest.mark.rule("ASYL-6")
def test_lma_number_in_the_search_field_finds_the_registered_patient(
    logged_in: Any, world: World
) -> None:
    patient = _person(
        "50008920", identity_kind="lma", birth_date=dt.date(1990, 5, 1), first_name="Amina"
    )
    r = logged_in(world.prescriber).post(reverse("web:home"), {"identifier": "50-008920/4"})
    assert r.status_code == 302
    assert r["Location"] == reverse("web:patient", args=[patient.pk])


def test_malformed_lma_or_number_gives_a_swedish_field_error(logged_in: Any, world: World) -> None:
    r = logged_in(world.prescriber).post(reverse("web:home"), {"identifier": "50-0089"})
    assert r.status_code == 200
    assert "nhsuk-error-summary" in _html(r)
    assert "Ange ett personnummer" in _html(r)


@pytest.mark.rule("SKYDD-9")
def test_own_customer_number_lists_protected_withdrawals_number_first(
    logged_in: Any, world: World
) -> None:
    secret = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    w = _protected_withdrawal(world, secret)
    r = logged_in(world.prescriber).post(reverse("web:home"), {"identifier": "602154"})
    html = _html(r)
    assert w.number in html
    assert html.index("Uttagsnummer") < html.index("Produkter")
    assert secret.first_name not in html
    # another unit's number lists nothing, like a unit without such withdrawals
    r = logged_in(world.outsider).post(reverse("web:home"), {"identifier": "602154"})
    assert w.number not in _html(r)
    assert "Inga uttag för personer med skyddade personuppgifter" in _html(r)


@pytest.mark.rule("UT-5")
def test_advanced_search_on_name_and_birth_date(logged_in: Any, world: World) -> None:
    ut = _person(
        "UT0000000001",
        identity_kind="ut",
        first_name="Omar",
        last_name="Haddad - UT",
        birth_date=dt.date(1985, 3, 3),
    )
    client = logged_in(world.prescriber)
    r = client.post(
        reverse("web:advanced_search"), {"name": "Omar Haddad", "birth_date": "19850303"}
    )
    assert reverse("web:patient", args=[ut.pk]) in _html(r)
    r = client.post(reverse("web:advanced_search"), {"name": "Omar", "birth_date": "1985-3-99"})
    assert "Ange datumet som ÅÅÅÅMMDD" in _html(r)
    r = client.post(reverse("web:advanced_search"), {"name": "", "birth_date": ""})
    assert "Ange patientens namn." in _html(r) and "Ange födelsedatum." in _html(r)


def test_advanced_search_never_lists_another_units_protected_patient(
    logged_in: Any, world: World
) -> None:
    f.make_patient(
        f.PERSONNUMMER[1],
        first_name="Eva",
        last_name="Hemlig",
        protected=True,
        protected_unit=world.unit,
    )
    r = logged_in(world.outsider).post(
        reverse("web:advanced_search"), {"name": "Eva Hemlig", "birth_date": "19451224"}
    )
    assert "Hemlig" not in _html(r).split("<main")[1].replace('value="Eva Hemlig"', "")
