"""SKYDD-8: the prescriber is given the withdrawal number to document in the journal, and
finds it again first on each row of the unit's list (SKYDD-9)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import Withdrawal


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _first_cell_of_row_with(html: str, text: str) -> str:
    rows = [row for row in re.findall(r"<tr[ >].*?</tr>", html, re.S) if text in row]
    assert len(rows) == 1, html
    cell = re.search(r"<t[dh][^>]*>(.*?)</t[dh]>", rows[0], re.S)
    assert cell is not None
    return _text(cell.group(1))


@pytest.mark.rule("SKYDD-8")
@pytest.mark.rule("SKYDD-9")
def test_the_withdrawal_number_is_given_for_the_journal_and_listed_first(
    client_for: ClientFor, world: World
) -> None:
    secret = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    rx = f.make_prescription(
        patient=secret, product=world.diabetes_product, prescriber=world.prescriber, unit=world.unit
    )
    client = client_for(world.prescriber)
    placed = client.post(
        reverse("web:new_withdrawal", args=[secret.pk]),
        {
            f"qty_{rx.pk}": "10",
            "destination": "unit",
            "care_of": "Sjuksköterska Berg",
            "idempotency_key": str(uuid.uuid4()),
        },
        follow=True,
    )
    number = Withdrawal.objects.get().number
    shown = _text(placed.content.decode())
    assert f"Uttagsnummer: {number} . Dokumentera uttagsnumret i journalen" in shown

    listed = client.post(reverse("web:home"), {"identifier": world.unit.customer_number})
    html = listed.content.decode()
    assert _first_cell_of_row_with(html, number) == number
    assert secret.first_name not in html and secret.street not in html
