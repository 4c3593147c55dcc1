"""The portal: bodies over the limits get a plain Swedish 413 page; text is measured
in the form it is stored in (NFC), with the error at its field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lmn.organisations.models import UnitApplication
from lmn.testing import factories as f

from .access_views.helpers import _unit_form


@pytest.mark.parametrize("url", ["/logga-in/", "/min-sida/"])
def test_a_20_mb_post_gets_a_swedish_413_page(world: Any, url: str) -> None:
    client = Client(enforce_csrf_checks=True)  # the CSRF check reads the body, as in production
    client.force_login(world.customer_service)
    client.cookies["csrftoken"] = "a" * 32  # so that the CSRF check goes on to read the body
    response = client.post(url, {"text": "x" * (20 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Begäran är för stor" in response.text
    assert 'lang="sv"' in response.text


def test_a_post_with_too_many_fields_gets_413(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    response = client.post("/logga-in/", {f"line-{n}": "1" for n in range(5000)})
    assert response.status_code == 413
    assert "Begäran är för stor" in response.text


def test_a_name_that_normalising_lengthens_is_refused_at_its_field(
    client_for: Any, world: Any
) -> None:
    head = f.make_head(world.unit, "chef")
    page = client_for(head).post(reverse("web:apply_unit"), _unit_form(city="\u0958" * 60))
    assert page.status_code == 200
    assert "Högst 100 tecken är tillåtna." in page.text
    assert not UnitApplication.objects.exists()
