"""The portal's pages for a prescription's life (RX-1..RX-4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from lmn.core import clock
from lmn.prescriptions.lifecycle import PrescriptionChange, change_prescription
from lmn.prescriptions.models import Prescription, PrescriptionMove, PrescriptionTemplate
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World


def prescribe(world: World, **kw: Any) -> Prescription:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        **kw,
    )


def form_of(p: Prescription, **kw: Any) -> dict[str, Any]:
    data = {
        "version": p.version,
        "consumption_amount": p.consumption_amount,
        "consumption_period": p.consumption_period,
        "valid_until": p.valid_until.isoformat(),
        "max_supply_days": p.max_supply_days,
        "instructions": "",
    }
    data.update(kw)
    return data


@pytest.mark.rule("RX-1")
def test_the_page_shows_every_version_and_the_patient_page_links_to_it(
    world: World, client_for: ClientFor
) -> None:
    p = prescribe(world)
    client = client_for(world.prescriber)
    r = client.post(
        reverse("web:change_prescription", args=[p.pk]), form_of(p, consumption_amount=3)
    )
    assert r.status_code == 302
    page = client.get(reverse("web:prescription", args=[p.pk])).content.decode()
    assert "Förskriven" in page and "Ändrad" in page
    patient_page = client.get(reverse("web:patient", args=[world.patient.pk])).content.decode()
    assert reverse("web:prescription", args=[p.pk]) in patient_page


@pytest.mark.rule("RX-1")
def test_a_stale_change_is_refused_and_the_new_version_shown(
    world: World, client_for: ClientFor
) -> None:
    p = prescribe(world)
    change_prescription(
        p, PrescriptionChange(1, 5, "day", p.valid_until, 90), actor=world.actor(world.doctor)
    )
    r = client_for(world.prescriber).post(
        reverse("web:change_prescription", args=[p.pk]), form_of(p, consumption_amount=3)
    )
    assert r.status_code == 200
    text = r.content.decode()
    assert "version 2" in text
    assert 'name="version" value="2"' in text
    assert Prescription.objects.get(pk=p.pk).consumption_amount == 5


@pytest.mark.rule("RX-2")
def test_renew_from_the_patient_page(world: World, client_for: ClientFor) -> None:
    p = prescribe(world, valid_until=clock.today() + dt.timedelta(days=5))
    client = client_for(world.prescriber)
    patient_page = client.get(reverse("web:patient", args=[world.patient.pk])).content.decode()
    assert reverse("web:renew_prescription", args=[p.pk]) in patient_page
    r = client.post(reverse("web:renew_prescription", args=[p.pk]), {"version": 1})
    assert r.status_code == 302
    assert Prescription.objects.get(pk=p.pk).valid_until == clock.add_months(clock.today(), 12)


@pytest.mark.rule("RX-3")
def test_end_needs_a_reason_and_then_ends(world: World, client_for: ClientFor) -> None:
    p = prescribe(world)
    client = client_for(world.prescriber)
    url = reverse("web:end_prescription", args=[p.pk])
    missing = client.post(url, {"version": 1, "stop_open": "keep"})
    assert missing.status_code == 200 and "Välj varför" in missing.content.decode()
    done = client.post(url, {"version": 1, "reason": "wrong_entry", "stop_open": "keep"})
    assert done.status_code == 302
    assert Prescription.objects.get(pk=p.pk).status == "ended"


@pytest.mark.rule("RX-4")
def test_move_sent_then_accepted_in_the_inbox(world: World, client_for: ClientFor) -> None:
    p = prescribe(world)
    home = f.make_unit("605100", name="Hemsjukvården", kind="home_care")
    nurse = f.make_user("ssk", unit=home, areas=["diabetes"])
    sent = client_for(world.prescriber).post(
        reverse("web:move_prescription", args=[p.pk]), {"version": 1, "to_unit": "605100"}
    )
    assert sent.status_code == 302
    move = PrescriptionMove.objects.get()
    receiver = client_for(nurse)
    inbox = receiver.get(reverse("web:moves_inbox")).content.decode()
    assert p.reference in inbox
    accepted = receiver.post(reverse("web:decide_move", args=[move.pk, "accept"]))
    assert accepted.status_code == 302
    assert Prescription.objects.get(pk=p.pk).unit == home


def test_a_move_to_an_unknown_unit_is_shown_on_the_field(
    world: World, client_for: ClientFor
) -> None:
    p = prescribe(world)
    r = client_for(world.prescriber).post(
        reverse("web:move_prescription", args=[p.pk]), {"version": 1, "to_unit": "000000"}
    )
    assert r.status_code == 200 and "Det finns ingen enhet" in r.content.decode()


def test_work_list_and_favourites(world: World, client_for: ClientFor) -> None:
    p = prescribe(world, valid_until=clock.today() + dt.timedelta(days=10))
    client = client_for(world.prescriber)
    page = client.get(reverse("web:worklist")).content.decode()
    assert reverse("web:renew_prescription", args=[p.pk]) in page
    added = client.post(
        reverse("web:favourites"),
        {
            "article_number": world.diabetes_product.article_number,
            "consumption_amount": 2,
            "consumption_period": "day",
        },
    )
    assert added.status_code == 302
    template = PrescriptionTemplate.objects.get()
    assert world.diabetes_product.name in client.get(reverse("web:favourites")).content.decode()
    client.post(reverse("web:remove_favourite", args=[template.pk]))
    assert not PrescriptionTemplate.objects.exists()


def test_another_units_prescriber_sees_no_action_buttons(
    world: World, client_for: ClientFor
) -> None:
    p = prescribe(world)
    page = client_for(world.outsider).get(reverse("web:prescription", args=[p.pk])).content.decode()
    assert reverse("web:end_prescription", args=[p.pk]) not in page


def test_a_favourite_fills_in_the_new_prescription(world: World, client_for: ClientFor) -> None:
    from lmn.prescriptions.templates import TemplateDraft, add_template

    t = add_template(
        TemplateDraft(world.diabetes_product, 4, "week"), actor=world.actor(world.prescriber)
    )
    client = client_for(world.prescriber)
    url = reverse("web:new_prescription", args=[world.patient.pk])
    page = client.get(url).content.decode()
    assert f"?favorit={t.pk}" in page
    filled = client.get(f"{url}?favorit={t.pk}").content.decode()
    assert f'value="{world.diabetes_product.article_number}" checked' in filled
    assert 'value="4"' in filled
    saved = client.post(
        url,
        {
            "product": world.diabetes_product.article_number,
            "consumption_amount": 4,
            "consumption_period": "week",
        },
    )
    assert saved.status_code == 302
    assert Prescription.objects.get().consumption_amount == 4
