"""A form with four bad fields gets four messages in one answer, each at its field.

The form's own parsing (a mistyped number, a missing town), the delivery details' shape
(a postcode, a phone number) and the domain's rules (entitlement, door code, validity)
used to answer in stages, one submit each; now one answer names every problem.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal

pytestmark = pytest.mark.django_db


def _anchors(response: Any) -> list[str]:
    """The error summary's links, one per message: where each problem points."""
    return [anchor for anchor, _message in response.context["error_items"]]


def test_a_withdrawal_with_four_bad_fields_gets_four_messages_at_once(
    client_for: ClientFor, world: World
) -> None:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    response = client_for(world.prescriber).post(
        reverse("web:new_withdrawal", args=[world.patient.pk]),
        {
            f"qty_{rx.pk}": "1000",  # more than the prescription allows now (GEN-3)
            "street": "Annangatan 5",
            "postcode": "123",  # not a Swedish postcode
            "city": "",  # missing: the form's own check
            "multi_family": "on",  # ... without a door code (OUT-5)
            "name_on_door": "on",
            "phone": "070-123 45 67",
            "idempotency_key": "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a12",
        },
    )
    assert response.status_code == 200
    assert sorted(_anchors(response)) == sorted(
        [f"#id_qty_{rx.pk}", "#id_postcode", "#id_city", "#id_door_code"]
    )
    html = response.content.decode()
    for message in (
        "Högst 90 st kan tas ut nu",
        "Ange ett svenskt postnummer med fem siffror",
        "Ange ort.",
        "Ange portkod",
    ):
        assert message in html
    assert not Withdrawal.objects.exists()


def test_the_preview_also_names_every_problem_at_once(client_for: ClientFor, world: World) -> None:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    response = client_for(world.prescriber).post(
        reverse("web:withdrawal_preview", args=[world.patient.pk]),
        {
            f"qty_{rx.pk}": "1000",
            "street": "Annangatan 5",
            "postcode": "123",
            "city": "",
            "multi_family": "on",
            "name_on_door": "on",
            "idempotency_key": "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a13",
        },
    )
    assert sorted(_anchors(response)) == sorted(
        [f"#id_qty_{rx.pk}", "#id_postcode", "#id_city", "#id_door_code"]
    )


def test_a_mistyped_amount_is_not_also_told_to_choose_a_product(
    client_for: ClientFor, world: World
) -> None:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    response = client_for(world.prescriber).post(
        reverse("web:new_withdrawal", args=[world.patient.pk]),
        {
            f"qty_{rx.pk}": "tio",
            "street": "Storgatan 1",
            "postcode": "12",
            "city": "Göteborg",
            "name_on_door": "on",
            "idempotency_key": "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a14",
        },
    )
    html = response.content.decode()
    assert "Ange antalet som ett heltal." in html
    assert "Välj minst en produkt" not in html
    assert sorted(_anchors(response)) == sorted([f"#id_qty_{rx.pk}", "#id_postcode"])


def test_a_prescription_with_four_bad_fields_gets_four_messages_at_once(
    client_for: ClientFor, world: World
) -> None:
    response = client_for(world.prescriber).post(
        reverse("web:new_prescription", args=[world.patient.pk]),
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": "noll",  # not a number: the form's own check
            "consumption_period": "day",
            "valid_from": "2000-01-01",  # in the past: the service's rule
            "valid_until": "2099-01-01",  # more than 12 months on: the service's rule
            "max_supply_days": "många",  # not a number: the form's own check
        },
    )
    assert response.status_code == 200
    assert sorted(_anchors(response)) == sorted(
        [
            "#id_consumption_amount",
            "#id_valid_from",
            "#id_valid_until",
            "#id_max_supply_days",
        ]
    )
    assert not Prescription.objects.exists()


def test_a_contact_log_names_both_missing_choices_at_once(world: World) -> None:
    from lmn.cases.followups import log_contact
    from lmn.core.errors import DomainError
    from lmn.web.tests.axe_support import Data

    follow_up = Data(world).follow_up
    with pytest.raises(DomainError) as refused:
        log_contact(follow_up, party="", channel="", actor=f.actor_of(world.customer_service))
    assert {p.field for p in refused.value.problems} == {"party", "channel"}


def test_a_case_form_with_four_bad_fields_gets_four_messages_at_once(
    client_for: ClientFor, world: World
) -> None:
    response = client_for(world.prescriber).post(
        reverse("web:new_case", args=["asylum"]),
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": "1",
            "consumption_period": "day",
            "first_name": "",  # missing: the service's rule
            "last_name": "Yusuf",
            "birth_date": "trettonde maj",  # not a date: the form's own check
            "lma_number": "12",  # not an LMA number: the service's rule
            "lma_valid_until": "20000101",  # expired (ASYL-3): the service's rule
        },
    )
    assert response.status_code == 200
    assert sorted(_anchors(response)) == sorted(
        ["#id_first_name", "#id_birth_date", "#id_lma_number", "#id_lma_valid_until"]
    )
