"""Fast Django-client tests of the portal's views."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lmn.accounts.models import Membership
from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.web.acting import SESSION_KEY
from lmn.withdrawals.models import Withdrawal


def _html(response: Any) -> str:
    return response.content.decode()


# --- login and the acting unit -------------------------------------------------------


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("web:home", {}),
        ("web:my_page", {}),
        ("web:choose_unit", {}),
        ("web:patient", {"patient_id": 1}),
        ("web:new_prescription", {"patient_id": 1}),
        ("web:new_withdrawal", {"patient_id": 1}),
        ("web:withdrawal", {"number": "U13200001"}),
    ],
)
def test_every_page_but_login_needs_login(client: Client, db: None, name: Any, kwargs: Any) -> None:
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_login_page_is_swedish_and_public(client: Client, db: None) -> None:
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    assert '<html lang="sv">' in _html(response)
    assert "Logga in" in _html(response)


def test_login_with_right_password_rotates_session_and_audits(client: Client, world: World) -> None:
    client.get(reverse("web:login"))
    before = client.session.session_key
    response = client.post(
        reverse("web:login"), {"username": "forskrivare", "password": "demo-pass-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.session.session_key != before
    event = AuditEvent.objects.get(action="accounts.login.succeeded")
    assert event.actor_hsa_id == world.prescriber.hsa_id
    assert "demo-pass-123" not in str(event.data)


def test_login_with_wrong_password_shows_swedish_error_and_audits(
    client: Client, world: World
) -> None:
    response = client.post(reverse("web:login"), {"username": "forskrivare", "password": "fel"})
    assert response.status_code == 200
    html = _html(response)
    assert "Fel användarnamn eller lösenord." in html
    assert "nhsuk-error-summary" in html
    assert "<title>Fel: Logga in" in html
    event = AuditEvent.objects.get(action="accounts.login.failed")
    assert event.outcome == "denied"
    assert "fel" not in str(event.data.values()).replace("forskrivare", "")


def test_login_with_empty_fields_shows_field_errors(client: Client, db: None) -> None:
    response = client.post(reverse("web:login"), {"username": "", "password": ""})
    html = _html(response)
    assert "Ange ditt användarnamn." in html
    assert 'href="#id_username"' in html
    assert 'href="#id_password"' in html


def test_login_follows_a_local_next_but_not_an_external_one(client: Client, world: World) -> None:
    data = {"username": "forskrivare", "password": "demo-pass-123"}
    response = client.post(reverse("web:login"), {**data, "next": "/min-sida/"})
    assert response["Location"] == "/min-sida/"
    client.logout()
    response = client.post(reverse("web:login"), {**data, "next": "https://evil.example/"})
    assert response["Location"] == reverse("web:home")


def test_one_membership_is_chosen_automatically(client_for: ClientFor, world: World) -> None:
    client = client_for(world.prescriber)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    html = _html(response)
    assert "Vårdcentralen Hjärtat (602154)" in html
    assert "Förskrivare" in html
    assert "Byt enhet" not in html


def test_several_memberships_must_choose_a_unit(client_for: ClientFor, world: World) -> None:
    f.add_membership(world.prescriber, unit=world.ward, role=Role.ORDERER)
    client = client_for(world.prescriber)
    response = client.get(reverse("web:my_page"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:choose_unit"))

    page = client.get(response["Location"])
    assert "Välj enhet" in _html(page)
    assert "Solgårdens särskilda boende (603001)" in _html(page)

    ward_membership = Membership.objects.get(user=world.prescriber, unit=world.ward)
    response = client.post(
        reverse("web:choose_unit"), {"membership": ward_membership.pk, "next": "/min-sida/"}
    )
    assert response["Location"] == "/min-sida/"
    assert client.session[SESSION_KEY] == ward_membership.pk
    html = _html(client.get(reverse("web:home")))
    assert "Solgårdens särskilda boende (603001)" in html
    assert "Beställare" in html
    assert "Byt enhet" in html


def test_choosing_a_membership_of_someone_else_is_refused(
    client_for: ClientFor, world: World
) -> None:
    f.add_membership(world.prescriber, unit=world.ward, role=Role.ORDERER)
    client = client_for(world.prescriber)
    others = Membership.objects.get(user=world.outsider)
    response = client.post(reverse("web:choose_unit"), {"membership": others.pk})
    assert response.status_code == 200
    assert "Välj en av dina enheter." in _html(response)
    assert SESSION_KEY not in client.session


def test_choose_unit_without_choice_shows_error(client_for: ClientFor, world: World) -> None:
    f.add_membership(world.prescriber, unit=world.ward, role=Role.ORDERER)
    response = client_for(world.prescriber).post(reverse("web:choose_unit"), {})
    assert "Välj den enhet och roll du vill arbeta i." in _html(response)
    assert 'href="#id_membership_0"' in _html(response)


def test_user_without_membership_gets_no_access_page(client_for: ClientFor, world: World) -> None:
    Membership.objects.filter(user=world.prescriber).update(active=False)
    response = client_for(world.prescriber).get(reverse("web:home"))
    assert response.status_code == 403
    assert "Du saknar behörighet i LMN" in _html(response)


def test_logout_is_post_only(client_for: ClientFor, world: World) -> None:
    client = client_for(world.prescriber)
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response["Location"] == reverse("web:login")
    assert client.get(reverse("web:home")).status_code == 302


# --- patient search and overview -----------------------------------------------------


@pytest.mark.parametrize("raw", ["19121212-1212", "191212121212", "121212+1212", " 19121212 1212 "])
def test_patient_search_accepts_common_formats(
    client_for: ClientFor, world: World, raw: Any
) -> None:
    response = client_for(world.prescriber).post(reverse("web:home"), {"identifier": raw})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:patient", args=[world.patient.pk])


def test_patient_search_with_invalid_number_shows_field_error(
    client_for: ClientFor, world: World
) -> None:
    response = client_for(world.prescriber).post(
        reverse("web:home"), {"identifier": "19121212-1213"}
    )
    html = _html(response)
    assert "Personnumret är inte giltigt" in html
    assert "nhsuk-form-group--error" in html
    assert 'href="#id_identifier"' in html


def test_patient_search_not_found(client_for: ClientFor, world: World) -> None:
    response = client_for(world.prescriber).post(
        reverse("web:home"), {"identifier": f.PERSONNUMMER[3]}
    )
    assert "Ingen patient hittades" in _html(response)


def test_protected_patient_of_another_unit_is_not_found_and_gives_404(
    client_for: ClientFor, world: World
) -> None:
    hidden = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.other_unit)
    client = client_for(world.prescriber)
    response = client.post(reverse("web:home"), {"identifier": f.PERSONNUMMER[1]})
    assert "Ingen patient hittades" in _html(response)
    for name in ("web:patient", "web:new_prescription", "web:new_withdrawal"):
        assert client.get(reverse(name, args=[hidden.pk])).status_code == 404
    missing = client.get(reverse("web:patient", args=[999_999]))
    assert missing.status_code == 404


def test_protected_patient_is_visible_inside_own_unit(client_for: ClientFor, world: World) -> None:
    own = f.make_patient(f.PERSONNUMMER[1], protected=True, protected_unit=world.unit)
    response = client_for(world.prescriber).get(reverse("web:patient", args=[own.pk]))
    assert response.status_code == 200


def test_overview_shows_patient_prescriptions_and_entitlement(
    client_for: ClientFor, world: World
) -> None:
    f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=2,
    )
    response = client_for(world.prescriber).get(reverse("web:patient", args=[world.patient.pk]))
    html = _html(response)
    assert "Tolvan Tolvansson" in html
    assert "19121212-1212" in html
    assert "Storgatan 1" in html
    assert "Testremsor Glukos" in html
    assert "2 st per dag" in html
    assert "180 st" in html  # 2/day for 90 days
    assert "Ny förskrivning" in html
    assert "Nytt uttag" in html
    assert AuditEvent.objects.filter(action="patients.patient.read", patient_id=world.patient.pk)


def test_overview_hides_new_prescription_for_orderer(client_for: ClientFor, world: World) -> None:
    response = client_for(world.orderer).get(reverse("web:patient", args=[world.patient.pk]))
    assert "Ny förskrivning" not in _html(response)
    assert "Nytt uttag" in _html(response)


# --- new prescription --------------------------------------------------------------


def _prescribe_url(world: World) -> str:
    return reverse("web:new_prescription", args=[world.patient.pk])


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


# --- new withdrawal and the withdrawal page ----------------------------------------


def _prescription(world: World, amount: int = 1) -> Any:
    return f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
        amount=amount,
    )


def _order(client: Client, world: World, prescription: Any, **extra: Any) -> Any:
    data = {
        f"qty_{prescription.pk}": "30",
        "street": "Storgatan 1",
        "postcode": "413 01",
        "city": "Göteborg",
        "name_on_door": "on",
        "phone": "070-123 45 67",
        "idempotency_key": "0b9f4c3e-6f8a-4a55-9d59-2c3f1a0e7a11",
    }
    data.update(extra)
    return client.post(reverse("web:new_withdrawal", args=[world.patient.pk]), data)


def test_withdrawal_form_defaults_to_patient_address(client_for: ClientFor, world: World) -> None:
    p = _prescription(world)
    response = client_for(world.prescriber).get(
        reverse("web:new_withdrawal", args=[world.patient.pk])
    )
    html = _html(response)
    assert 'value="Storgatan 1"' in html
    assert "90 st" in html
    assert f'name="qty_{p.pk}"' in html
    assert 'name="idempotency_key"' in html
    assert "Utlämningsställe" in html


@pytest.mark.rule("GEN-5")
def test_placing_a_withdrawal_redirects_to_it(client_for: ClientFor, world: World) -> None:
    p = _prescription(world)
    client = client_for(world.prescriber)
    response = _order(client, world, p, door_code="9876", care_of="Anna")
    withdrawal = Withdrawal.objects.get()
    assert response["Location"] == reverse("web:withdrawal", args=[withdrawal.number])
    assert withdrawal.door_code == "9876"
    html = _html(client.get(response["Location"]))
    assert withdrawal.number in html
    assert "Uttaget är beställt" in html
    assert "30 st" in html
    assert "c/o Anna" in html
    assert "9876" not in html  # the door code is not shown back
    assert AuditEvent.objects.filter(action="withdrawals.withdrawal.read").exists()


def test_double_submit_places_one_withdrawal(client_for: ClientFor, world: World) -> None:
    p = _prescription(world)
    client = client_for(world.prescriber)
    first = _order(client, world, p)
    second = _order(client, world, p)
    assert Withdrawal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_withdrawal_with_bad_input_shows_errors_and_creates_nothing(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    response = _order(
        client_for(world.prescriber),
        world,
        p,
        postcode="123",
        phone="12",
        **{f"qty_{p.pk}": "1000"},
    )
    html = _html(response)
    assert "Ange ett svenskt postnummer med fem siffror" in html
    assert 'href="#id_postcode"' in html
    assert "Ange ett giltigt svenskt telefonnummer" in html
    assert not Withdrawal.objects.exists()


def test_withdrawal_over_entitlement_is_refused_on_the_quantity(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    response = _order(client_for(world.prescriber), world, p, **{f"qty_{p.pk}": "1000"})
    html = _html(response)
    assert "Högst 90 st kan tas ut nu" in html
    assert f'href="#id_qty_{p.pk}"' in html
    assert not Withdrawal.objects.exists()


def test_withdrawal_without_quantities_asks_for_one(client_for: ClientFor, world: World) -> None:
    p = _prescription(world)
    response = _order(client_for(world.prescriber), world, p, **{f"qty_{p.pk}": ""})
    assert "Välj minst en produkt att beställa." in _html(response)
    assert not Withdrawal.objects.exists()


def test_withdrawal_of_another_units_protected_patient_is_404(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    client = client_for(world.prescriber)
    _order(client, world, p)
    number = Withdrawal.objects.get().number
    world.patient.protected = True
    world.patient.protected_unit = world.other_unit
    world.patient.save()
    assert client.get(reverse("web:withdrawal", args=[number])).status_code == 404
    assert client.get(reverse("web:withdrawal", args=["U99999999"])).status_code == 404


# --- Min sida ------------------------------------------------------------------------


def test_my_page_shows_contact_details(client_for: ClientFor, world: World) -> None:
    html = _html(client_for(world.prescriber).get(reverse("web:my_page")))
    assert world.prescriber.hsa_id in html
    assert world.prescriber.email in html
    assert "031-123 45 67" in html


@pytest.mark.rule("SKYDD-10")
def test_my_page_overview_shows_products_of_a_withdrawal(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    client = client_for(world.prescriber)
    _order(client, world, p)
    number = Withdrawal.objects.get().number
    html = _html(client.get(reverse("web:my_page"), {"number": number.lower()}))
    assert f"Uttag {number}" in html
    assert "Testremsor Glukos" in html
    assert "Tolvan" not in html  # products only, no identity


def test_my_page_overview_bad_number_and_not_found(client_for: ClientFor, world: World) -> None:
    client = client_for(world.prescriber)
    html = _html(client.get(reverse("web:my_page"), {"number": "12345"}))
    assert "Uttagsnumret ska vara U följt av åtta siffror" in html
    html = _html(client.get(reverse("web:my_page"), {"number": "U99999999"}))
    assert "Inget uttag med numret U99999999 hittades" in html


def test_my_page_overview_does_not_find_other_units_withdrawals(
    client_for: ClientFor, world: World
) -> None:
    p = _prescription(world)
    _order(client_for(world.prescriber), world, p)
    number = Withdrawal.objects.get().number
    html = _html(client_for(world.outsider).get(reverse("web:my_page"), {"number": number}))
    assert "hittades" in html
    assert "Testremsor Glukos" not in html
