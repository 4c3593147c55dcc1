"""The help page: whom to call and the routine's guides per role, open to everyone."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World

pytestmark = pytest.mark.django_db

REGION_CONTACTS = [
    {
        "key": "customer_service",
        "name": "Kundtjänst LMN Region Test",
        "about": "Uttag och leveranser.",
        "phone": "0771-12 34 56",
        "email": "kundtjanst@region.example",
        "hours": "Vardagar 7–17",
    },
    {
        "key": "administration",
        "name": "LMN-administrationen Region Test",
        "about": "Behörigheter.",
        "phone": "0771-65 43 21",
        "email": "lmn@region.example",
        "hours": "Vardagar 9–12",
    },
]


@override_settings(LMN_HELP_CONTACTS=REGION_CONTACTS)
def test_the_help_page_gives_the_regions_contacts_without_logging_in(client: Client) -> None:
    response = client.get(reverse("web:help"))
    assert response.status_code == 200
    html = response.content.decode()
    for contact in REGION_CONTACTS:
        assert contact["name"] in html
        assert contact["phone"] in html
        assert contact["email"] in html
        assert contact["hours"] in html
    assert "Komma igång" in html  # no role yet: how to get access


@pytest.mark.parametrize(
    ("role", "guide", "not_own"),
    [
        (Role.PRESCRIBER, "Förskriva", "Distributör"),
        (Role.ORDERER, "Särskilt boende", "Förskriva"),
        (Role.CUSTOMER_SERVICE, "Kundtjänst", "Förskriva"),
        (Role.DISTRIBUTOR, "Distributör", "Förskriva"),
    ],
)
def test_the_signed_in_role_gets_its_own_guides_first(
    client_for: ClientFor, world: World, role: Any, guide: Any, not_own: Any
) -> None:
    user = {
        Role.PRESCRIBER: world.prescriber,
        Role.ORDERER: world.orderer,
        Role.CUSTOMER_SERVICE: world.customer_service,
        Role.DISTRIBUTOR: f.make_user("distributor", unit=None, role=Role.DISTRIBUTOR),
    }[role]
    html = client_for(user).get(reverse("web:help")).content.decode()
    own, _, rest = html.partition("Rutinen för andra roller")
    assert f"<h3>{guide}</h3>" in own
    assert f"<h3>{not_own}</h3>" not in own
    assert not_own in rest  # the other roles' guides are there too, folded
    assert str(Role.LABELS[role]) in own  # the header says who is signed in


def test_every_page_links_to_help_in_its_footer(
    client: Client, client_for: ClientFor, world: World
) -> None:
    help_link = f'href="{reverse("web:help")}"'
    assert help_link in client.get(reverse("web:login")).content.decode()
    logged_in = client_for(world.prescriber)
    for url in (reverse("web:home"), reverse("web:my_page"), "/finns-inte/"):
        html = logged_in.get(url).content.decode()
        assert help_link in html.split('<footer class="lmn-footer">')[1], url
