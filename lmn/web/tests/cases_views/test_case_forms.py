"""The prescriber's case forms: wrong role 403, another unit or a protected patient 404, bad input
answered in Swedish on the fields with nothing created."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from lmn.cases.models import Case
from lmn.core import clock
from lmn.testing import factories as f
from lmn.testing.types import World

from .helpers import _asylum_post, _html


@pytest.mark.rule("ASYL-3", "CH-1")
def test_prescriber_submits_an_asylum_case(logged_in: Any, world: World, asylum_unit: Any) -> None:
    client = logged_in(world.prescriber)
    r = client.get(reverse("web:new_case", args=["asylum"]))
    assert r.status_code == 200
    assert "LMA-nummer" in _html(r)
    r = client.post(
        reverse("web:new_case", args=["asylum"]),
        _asylum_post(product=world.diabetes_product.article_number),
    )
    case = Case.objects.get()
    assert r["Location"] == reverse("web:case", args=[case.pk])
    assert case.lma_number == "50008920"
    r = client.get(reverse("web:cases"))
    assert case.reference in _html(r) and "Inskickat" in _html(r)


@pytest.mark.rule("ASYL-2", "ASYL-3")
def test_bad_case_input_lands_on_fields_in_swedish_and_creates_nothing(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    client = logged_in(world.prescriber)
    future = (clock.today() + dt.timedelta(days=3)).strftime("%Y%m%d")
    expired = (clock.today() - dt.timedelta(days=3)).strftime("%Y%m%d")
    r = client.post(
        reverse("web:new_case", args=["asylum"]),
        _asylum_post(
            product=world.diabetes_product.article_number,
            birth_date=future,
            lma_number="5-0089",
            lma_valid_until=expired,
        ),
    )
    html = _html(r)
    assert r.status_code == 200
    assert "Födelsedatumet kan inte vara i framtiden." in html
    assert "Ange LMA-numret" in html
    assert f"LMA-kortet gick ut {clock.today() - dt.timedelta(days=3)}" in html
    assert "<title>Fel: " in html
    # an adult without the decision that care cannot wait
    r = client.post(
        reverse("web:new_case", args=["asylum"]),
        _asylum_post(product=world.diabetes_product.article_number, care_cannot_wait=""),
    )
    assert "vård som inte kan anstå" in _html(r)
    assert Case.objects.count() == 0


@pytest.mark.rule("UT-2")
def test_ut_name_without_birth_date_is_refused(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    r = logged_in(world.prescriber).post(
        reverse("web:new_case", args=["without_permit"]),
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": "1",
            "consumption_period": "day",
            "first_name": "Omar",
            "last_name": "Haddad - UT",
            "birth_date": "",
            "care_cannot_wait": "on",
        },
    )
    assert "nhsuk-error-summary" in _html(r)
    assert "födelsedatum" in _html(r).lower()
    assert Case.objects.count() == 0


@pytest.mark.rule("SKYDD-2")
def test_protected_identity_form_asks_no_patient_details(logged_in: Any, world: World) -> None:
    client = logged_in(world.prescriber)
    html = _html(client.get(reverse("web:new_case", args=["protected_identity"])))
    assert 'name="first_name"' not in html and 'name="birth_date"' not in html
    assert 'name="care_of"' in html
    client.post(
        reverse("web:new_case", args=["protected_identity"]),
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": "1",
            "consumption_period": "day",
            "care_of": "Sjuksköterska Berg",
        },
    )
    case = Case.objects.get()
    assert (case.first_name, case.birth_date, case.care_of) == ("", None, "Sjuksköterska Berg")


@pytest.mark.rule("OOA-1")
def test_out_of_assortment_needs_a_justification_not_whitespace(
    logged_in: Any, world: World
) -> None:
    ooa = f.make_product("incontinence", name="Specialskydd XL", procured=False, stocked=False)
    url = reverse("web:new_case", args=["out_of_assortment"]) + f"?patient={world.patient.pk}"
    client = logged_in(world.prescriber)
    assert ooa.name in _html(client.get(url))
    data = {
        "patient": world.patient.pk,
        "product": ooa.article_number,
        "consumption_amount": "1",
        "consumption_period": "day",
        "justification": "   ",
    }
    r = client.post(url, data)
    assert "Motivera varför" in _html(r)
    assert Case.objects.count() == 0


@pytest.mark.rule("CH-2")
def test_outside_region_diabetes_is_refused_with_the_pharmacy_explanation(
    logged_in: Any, world: World
) -> None:
    other = f.make_patient(f.PERSONNUMMER[3], resident_region="OTHER", region_name="Skåne")
    url = reverse("web:new_case", args=["outside_region"]) + f"?patient={other.pk}"
    r = logged_in(world.prescriber).post(
        url,
        {
            "patient": other.pk,
            "product": world.diabetes_product.article_number,
            "consumption_amount": "1",
            "consumption_period": "day",
        },
    )
    assert "hjälpmedelskort" in _html(r)
    assert Case.objects.count() == 0


def test_case_of_a_protected_patient_of_another_unit_is_404(logged_in: Any, world: World) -> None:
    secret = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    url = reverse("web:new_case", args=["out_of_assortment"]) + f"?patient={secret.pk}"
    assert logged_in(world.outsider).get(url).status_code == 404


def test_case_pages_of_another_unit_are_404(logged_in: Any, world: World, asylum_unit: Any) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    client = logged_in(world.outsider)
    assert client.get(reverse("web:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("web:complete_case", args=[case.pk])).status_code == 404
    assert client.get(reverse("web:new_case", args=["nonsense"])).status_code == 404


@pytest.mark.parametrize(
    "name,args",
    [
        ("web:backoffice", []),
        ("web:backoffice_case", [1]),
        ("web:follow_ups", []),
        ("web:conversion", [1]),
    ],
)
def test_back_office_is_forbidden_for_prescribers(
    logged_in: Any, world: World, name: Any, args: Any
) -> None:
    r = logged_in(world.prescriber).get(reverse(name, args=args))
    assert r.status_code == 403


@pytest.mark.parametrize("name,args", [("web:cases", []), ("web:new_case", ["asylum"])])
def test_case_forms_are_forbidden_for_orderers_and_customer_service(
    logged_in: Any, world: World, name: Any, args: Any
) -> None:
    assert logged_in(world.orderer).get(reverse(name, args=args)).status_code == 403
    assert logged_in(world.customer_service).get(reverse(name, args=args)).status_code == 403
