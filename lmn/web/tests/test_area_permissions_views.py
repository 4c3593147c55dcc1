"""ACC-3 in the portal: a prescriber without nutrition cannot withdraw on a nutrition
prescription, and is told why at the line."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal


@pytest.mark.rule("ACC-3")
def test_a_prescriber_without_nutrition_may_not_withdraw_on_a_nutrition_prescription(
    client_for: ClientFor, world: World
) -> None:
    nutrition_rx = f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )
    response = client_for(world.prescriber).post(
        reverse("web:new_withdrawal", args=[world.patient.pk]),
        {
            f"qty_{nutrition_rx.pk}": "10",
            "street": "Storgatan 1",
            "postcode": "413 01",
            "city": "Göteborg",
            "name_on_door": "on",
            "phone": "070-123 45 67",
            "idempotency_key": "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a11",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Du saknar behörighet för Nutrition" in html
    assert f'href="#id_qty_{nutrition_rx.pk}"' in html  # at the line it is about
    assert "ACC-3" not in html
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("EXPR-6")
def test_the_ordering_form_offers_express_only_to_a_nutrition_prescriber_of_the_unit(
    client_for: ClientFor, world: World
) -> None:
    """The form never offers what placing refuses: express is the prescribing unit's."""
    nutrition_rx = f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
    )
    other_dietitian = f.make_user(unit=world.other_unit, areas=["nutrition"])
    f.in_care(world.patient, other_dietitian)  # sees the prescription (PDL-1)
    url = reverse("web:new_withdrawal", args=[world.patient.pk]) + f"?rx={nutrition_rx.pk}"

    at_unit = client_for(world.dietitian).get(url).content.decode()
    client_for(world.dietitian).logout()
    elsewhere = client_for(other_dietitian).get(url)

    assert 'value="express"' in at_unit
    assert elsewhere.status_code == 200
    assert 'value="express"' not in elsewhere.content.decode()
    assert "på den enhet som förskrev produkten" in elsewhere.content.decode()
