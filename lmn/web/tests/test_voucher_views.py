"""Vouchers in the portal: the prescriber chooses them on the patient page, customer
service checks the code with the patient and orders."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.vouchers.models import Voucher


@pytest.fixture
def rx(world: World) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )


def test_prescriber_chooses_vouchers_and_customer_service_orders_with_the_code(
    world: World, rx: Any, client_for: ClientFor
) -> None:
    prescriber = client_for(world.prescriber)
    page = prescriber.get(f"/patienter/{world.patient.pk}/").content.decode()
    assert "Skicka talonger för Testremsor Glukos" in page

    answer = prescriber.post(f"/patienter/{world.patient.pk}/talonger/", {"prescription": rx.pk})
    assert answer.status_code == 302
    voucher = Voucher.objects.get()
    assert "talong skickad" in prescriber.get(f"/patienter/{world.patient.pk}/").content.decode()

    cs = client_for(world.customer_service)
    shown = cs.post("/kundtjanst/talong/", {"code": voucher.code.lower(), "action": "check"})
    body = shown.content.decode()
    assert shown.status_code == 200 and world.patient.name in body and "Beställ" in body

    ordered = cs.post("/kundtjanst/talong/", {"code": voucher.code, "action": "order"})
    assert ordered.status_code == 302 and ordered["Location"].startswith("/uttag/U")
    voucher.refresh_from_db()
    assert voucher.status == "used"


def test_an_unknown_code_is_shown_on_the_field(world: World, client_for: ClientFor) -> None:
    answer = client_for(world.customer_service).post(
        "/kundtjanst/talong/", {"code": "ZZZZ-ZZZZ-ZZ", "action": "check"}
    )
    assert answer.status_code == 200
    assert "Det finns ingen talong med den koden." in answer.content.decode()


def test_a_voucher_not_yet_usable_says_from_when_and_offers_no_order_button(
    world: World, rx: Any, client_for: ClientFor
) -> None:
    client_for(world.prescriber).post(
        f"/patienter/{world.patient.pk}/talonger/", {"prescription": rx.pk}
    )
    cs = client_for(world.customer_service)
    cs.post("/kundtjanst/talong/", {"code": Voucher.objects.get().code, "action": "order"})
    following = Voucher.objects.get(status="issued")
    body = cs.post("/kundtjanst/talong/", {"code": following.code, "action": "check"})
    text = body.content.decode()
    assert f"Talongen kan användas från {following.usable_from:%Y-%m-%d}." in text
    assert 'value="order"' not in text


def test_another_unit_cannot_choose_vouchers_for_a_prescription(
    world: World, rx: Any, client_for: ClientFor
) -> None:
    """Without a stated care relationship the other unit does not even see it (PDL-1)."""
    answer = client_for(world.outsider).post(
        f"/patienter/{world.patient.pk}/talonger/", {"prescription": rx.pk}, follow=True
    )
    assert "Välj en av patientens förskrivningar." in answer.content.decode()
    assert not Voucher.objects.exists()
