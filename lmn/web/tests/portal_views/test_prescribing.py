"""The portal's catalogue and the new-prescription form."""

from __future__ import annotations

import re

import pytest

from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World

from .helpers import _html, _prescribe_url


@pytest.mark.rule("GEN-6")
def test_catalogue_lists_rek_first_and_only_own_areas(client_for: ClientFor, world: World) -> None:
    f.make_product("diabetes", name="Aaa Lansett", recommended=False)
    response = client_for(world.prescriber).get(_prescribe_url(world))
    html = _html(response)
    assert html.index("Testremsor Glukos") < html.index("Aaa Lansett")
    assert "REK" in html
    assert "Näringsdryck Choklad" not in html  # nutrition is not the prescriber's area


def test_catalogue_search_by_name_and_article_number(client_for: ClientFor, world: World) -> None:
    client = client_for(world.prescriber)
    html = _html(client.get(_prescribe_url(world), {"q": "remsor"}))
    assert "Testremsor Glukos" in html
    art = world.diabetes_product.article_number
    html = _html(client.get(_prescribe_url(world), {"q": art}))
    assert "Testremsor Glukos" in html
    html = _html(client.get(_prescribe_url(world), {"q": "finnsinte"}))
    assert "Inga produkter matchar sökningen." in html


def test_catalogue_search_answers_htmx_with_the_result_list_only(
    client_for: ClientFor, world: World
) -> None:
    response = client_for(world.prescriber).get(
        _prescribe_url(world), {"q": "remsor"}, headers={"HX-Request": "true"}
    )
    html = _html(response)
    assert "Testremsor Glukos" in html
    assert "<html" not in html


@pytest.mark.rule("GEN-2")
def test_prescribing_shows_reference_to_document(client_for: ClientFor, world: World) -> None:
    client = client_for(world.prescriber)
    response = client.post(
        _prescribe_url(world),
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": "3",
            "consumption_period": "day",
        },
        follow=True,
    )
    prescription = Prescription.objects.get()
    assert prescription.consumption_amount == 3
    html = _html(response)
    assert "Dokumentera i journalen" in html
    assert re.search(r"F\d{8}", html).group(0) == prescription.reference


def test_prescribing_with_bad_input_shows_swedish_errors_and_creates_nothing(
    client_for: ClientFor, world: World
) -> None:
    response = client_for(world.prescriber).post(
        _prescribe_url(world),
        {"product": "", "consumption_amount": "noll", "consumption_period": "day"},
    )
    html = _html(response)
    assert "Välj en produkt i listan." in html
    assert "Ange förbrukningen som ett heltal." in html
    assert "<title>Fel: Ny förskrivning" in html
    assert not Prescription.objects.exists()


def test_prescribing_domain_errors_land_on_fields(client_for: ClientFor, world: World) -> None:
    response = client_for(world.prescriber).post(
        _prescribe_url(world),
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": "2",
            "consumption_period": "day",
            "valid_from": "2000-01-01",
        },
    )
    html = _html(response)
    assert "Giltig från kan inte vara ett datum som passerat." in html
    assert 'href="#id_valid_from"' in html
    assert not Prescription.objects.exists()


def test_prescribing_a_product_outside_own_areas_is_refused(
    client_for: ClientFor, world: World
) -> None:
    response = client_for(world.prescriber).post(
        _prescribe_url(world),
        {
            "product": world.nutrition_product.article_number,
            "consumption_amount": "2",
            "consumption_period": "day",
        },
    )
    assert "Välj en produkt i listan." in _html(response)
    assert not Prescription.objects.exists()


def test_orderer_may_not_prescribe(client_for: ClientFor, world: World) -> None:
    response = client_for(world.orderer).get(_prescribe_url(world))
    assert response.status_code == 403
