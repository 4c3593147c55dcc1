"""The portal's patient page and ordering page, their queries counted (issue 10): a number,
so that a regression fails, and the same however many withdrawals the patient has.

Patient page: session, user, membership, its areas, the patient, the audit chain's head
and the read's audit event, the prescriptions, the withdrawals so far (entitlements),
the latest withdrawals, their lines with products.
Counted inside the test's transaction."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

# the same on both: PostgreSQL locks the patient's audit chain and reads its head in one call
# since issue 10 also: each withdrawal's day for the entitlement (RX-1), what other
# units hold (PDL-1: 5), the reminders (2) and vouchers (1) shown on the page
PATIENT_PAGE = 16
ORDERING_PAGE = 9
# sending the form: PostgreSQL numbers the withdrawal inside its INSERT, SQLite bumps a
# counter first (lmn.core.series)
SUBMIT = 15 if connection.vendor == "postgresql" else 16


def _orders(world: World, count: int) -> None:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=1,
        per="day",
    )
    actor = world.actor(world.prescriber, world.unit)
    for _ in range(count):
        draft = WithdrawalDraft(
            patient=world.patient, lines=[LineDraft(prescription_id=rx.pk, quantity=1)]
        )
        place_withdrawal(draft, actor=actor)


def _count(client: Client, url: str) -> int:
    client.get(url)  # the first request of a session may do once what later ones do not
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    print("\n".join(q["sql"][:160] for q in ctx.captured_queries))  # shown when it fails
    return len(ctx.captured_queries)


@pytest.mark.parametrize("withdrawals", [1, 4])
def test_the_patient_page_costs_the_same_queries_however_many_withdrawals(
    world: World, client_for: ClientFor, withdrawals: int
) -> None:
    _orders(world, withdrawals)
    client = client_for(world.prescriber)
    assert _count(client, reverse("web:patient", args=[world.patient.pk])) == PATIENT_PAGE


def test_the_ordering_page_costs_a_fixed_number_of_queries(
    world: World, client_for: ClientFor
) -> None:
    _orders(world, 2)
    client = client_for(world.prescriber)
    url = reverse("web:new_withdrawal", args=[world.patient.pk])
    assert _count(client, url) == ORDERING_PAGE


def test_sending_the_ordering_form_costs_a_fixed_number_of_queries(
    world: World, client_for: ClientFor
) -> None:
    """Session, user, memberships, areas, the patient, the orderable prescriptions; then
    placing as the API does (PLACE there, less the token's stamp and the patient); and the
    confirmation kept in the session for the next page."""
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    client = client_for(world.prescriber)
    url = reverse("web:new_withdrawal", args=[world.patient.pk])
    client.get(url)
    form = {
        f"qty_{rx.pk}": "10", "destination": "door", "speed": "standard",
        "street": world.patient.street, "postcode": world.patient.postcode,
        "city": world.patient.city, "door_code": "1234", "name_on_door": "on",
        "phone": "070-123 45 67", "idempotency_key": "5f0c6c1e-8d7a-4d0e-9a51-0c3b0f9b7a11",
    }  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, form)
    assert response.status_code == 302, response.content[:3000]
    print("\n".join(q["sql"][:160] for q in ctx.captured_queries))  # shown when it fails
    assert len(ctx.captured_queries) == SUBMIT
