"""Portal pages of issue 5 over HTTP: applications (ACC), special housing (SAM, AKUT-7)
and contact details (CON). Wrong role 403, wrong unit 404, bad input Swedish errors with
nothing created, forged units refused."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.accounts.models import AccessApplication, InformationMailing, Membership, User
from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.organisations.models import CareProvider, PrescribingUnit, UnitApplication
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.withdrawals.models import JointOrder, Withdrawal

FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
NEW_HSA = "SE2321000131-E000000777"


def _html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def head(world: World) -> Any:
    return f.make_head(world.unit, "chef")


@pytest.fixture
def admin_user(world: World) -> Any:
    return f.make_admin("admin")


def _grant(**overrides: Any) -> Any:
    data = {
        "subject_hsa_id": NEW_HSA,
        "first_name": "Nina",
        "last_name": "Ny",
        "email": "nina@example.se",
        "role": Role.ORDERER,
        "areas": ["diabetes", "incontinence"],
        "joint_ordering": "on",
        "units": ["602154"],
    }
    data.update(overrides)
    return data


# --- access applications (ACC-1, ACC-5) ------------------------------------------------


@pytest.mark.parametrize("kind", ["ny", "andrad", "avslutad"])
def test_head_of_unit_sees_the_application_forms(
    client_for: ClientFor, world: World, head: Any, kind: Any
) -> None:
    response = client_for(head).get(reverse("web:apply_access", args=[kind]))
    assert response.status_code == 200
    assert "Vårdcentralen Hjärtat (602154)" in _html(response)


def test_an_unknown_kind_of_application_is_404(
    client_for: ClientFor, world: World, head: Any
) -> None:
    assert client_for(head).get("/ansokningar/behorighet/okand/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/ansokningar/",
        "/ansokningar/behorighet/ny/",
        "/ansokningar/enhet/",
        "/administration/behorighet/",
        "/administration/enheter/",
    ],
)
def test_a_prescriber_may_not_use_application_pages(
    client_for: ClientFor, world: World, url: Any
) -> None:
    response = client_for(world.prescriber).get(url)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="authz.denied").exists()


@pytest.mark.parametrize("url", ["/administration/behorighet/", "/administration/enheter/"])
def test_a_head_of_unit_may_not_decide(
    client_for: ClientFor, world: World, head: Any, url: Any
) -> None:
    assert client_for(head).get(url).status_code == 403


@pytest.mark.rule("ACC-1")
def test_head_applies_for_a_new_orderer_and_sees_it_listed(
    client_for: ClientFor, world: World, head: Any
) -> None:
    client = client_for(head)
    response = client.post(reverse("web:apply_access", args=["ny"]), _grant())
    assert response.status_code == 302
    application = AccessApplication.objects.get()
    assert application.kind == "grant" and application.role == Role.ORDERER
    assert application.joint_ordering
    assert list(application.units.all()) == [world.unit]
    listing = _html(client.get(reverse("web:applications")))
    assert NEW_HSA in listing and "Inskickad" in listing


def test_bad_application_input_shows_swedish_errors_and_creates_nothing(
    client_for: ClientFor, world: World, head: Any
) -> None:
    response = client_for(head).post(
        reverse("web:apply_access", args=["ny"]),
        {"subject_hsa_id": "", "role": Role.ORDERER},
    )
    assert response.status_code == 200
    html = _html(response)
    assert "Det finns ett problem" in html
    assert "Fältet måste fyllas i." in html
    assert "Välj minst en förskrivande enhet." in html
    assert not AccessApplication.objects.exists()


def test_domain_refusals_land_on_the_fields(client_for: ClientFor, world: World, head: Any) -> None:
    response = client_for(head).post(
        reverse("web:apply_access", args=["ny"]),
        _grant(subject_hsa_id="fel", email="inte-en-adress"),
    )
    html = _html(response)
    assert "Ange personens HSA-id" in html and "Ange en giltig e-postadress." in html
    assert not AccessApplication.objects.exists()


@pytest.mark.rule("ACC-1")
def test_a_forged_unit_the_head_does_not_head_is_refused_and_audited(
    client_for: ClientFor, world: World, head: Any
) -> None:
    response = client_for(head).post(
        reverse("web:apply_access", args=["ny"]), _grant(units=["604500"])
    )
    assert response.status_code == 404
    assert not AccessApplication.objects.exists()
    event = AuditEvent.objects.get(action="accounts.access_application.submitted")
    assert event.outcome == "not_found"


@pytest.mark.rule("ACC-1")
def test_a_head_cannot_grant_themselves_a_role(
    client_for: ClientFor, world: World, head: Any
) -> None:
    response = client_for(head).post(
        reverse("web:apply_access", args=["ny"]),
        _grant(subject_hsa_id=head.hsa_id, role=Role.DOCTOR),
    )
    assert "inte ansöka om behörighet för dig själv" in _html(response)
    assert not AccessApplication.objects.exists()


@pytest.mark.rule("ACC-2")
def test_a_forged_role_is_refused(client_for: ClientFor, world: World, head: Any) -> None:
    response = client_for(head).post(
        reverse("web:apply_access", args=["ny"]), _grant(role=Role.ADMIN)
    )
    assert "Välj rollen Förskrivare, Beställare eller Läkare." in _html(response)
    assert not AccessApplication.objects.exists()


@pytest.mark.rule("ACC-5")
def test_a_private_care_providers_head_applies_for_their_own_unit(
    client_for: ClientFor, world: World
) -> None:
    private = f.make_unit("604777", name="Privat Vård AB", provider_kind=CareProvider.Kind.PRIVATE)
    private_head = f.make_head(private, "privatchef")
    response = client_for(private_head).post(
        reverse("web:apply_access", args=["ny"]), _grant(units=["604777"])
    )
    assert response.status_code == 302
    assert list(AccessApplication.objects.get().units.all()) == [private]


@pytest.mark.rule("ACC-1")
def test_admin_queue_is_oldest_first_and_approval_grants_at_once(
    client: Client, client_for: ClientFor, world: World, head: Any, admin_user: Any
) -> None:
    with time_machine.travel(FRIDAY, tick=False):
        client_for(head).post(reverse("web:apply_access", args=["ny"]), _grant())
    client.logout()  # a new session: the first one has been idle for an hour
    with time_machine.travel(FRIDAY + dt.timedelta(hours=1), tick=False):
        client_for(head).post(
            reverse("web:apply_access", args=["ny"]),
            _grant(subject_hsa_id="SE2321000131-E000000888", email="b@example.se"),
        )
    client.logout()
    admin = client_for(admin_user)
    queue = _html(admin.get(reverse("web:access_queue")))
    assert queue.index(NEW_HSA) < queue.index("SE2321000131-E000000888")
    first = AccessApplication.objects.get(subject_hsa_id=NEW_HSA)
    url = reverse("web:access_decision", args=[first.pk])
    response = admin.post(url, {"decision": "approve"})
    assert response.status_code == 302
    assert "Beviljad" in _html(admin.get(url))
    user = User.objects.get(hsa_id=NEW_HSA)
    membership = Membership.objects.get(user=user, unit=world.unit)
    assert membership.role == Role.ORDERER and membership.joint_ordering and membership.active


def test_rejecting_needs_a_reason(
    client_for: ClientFor, world: World, head: Any, admin_user: Any
) -> None:
    client_for(head).post(reverse("web:apply_access", args=["ny"]), _grant())
    application = AccessApplication.objects.get()
    admin = client_for(admin_user)
    url = reverse("web:access_decision", args=[application.pk])
    response = admin.post(url, {"decision": "reject", "reason": ""})
    assert "Ange varför ansökan avslås." in _html(response)
    application.refresh_from_db()
    assert application.status == "submitted"
    admin.post(url, {"decision": "reject", "reason": "Fel enhet"})
    application.refresh_from_db()
    assert application.status == "rejected" and application.decision_note == "Fel enhet"


def test_a_decision_without_choice_shows_an_error(
    client_for: ClientFor, world: World, head: Any, admin_user: Any
) -> None:
    client_for(head).post(reverse("web:apply_access", args=["ny"]), _grant())
    application = AccessApplication.objects.get()
    response = client_for(admin_user).post(
        reverse("web:access_decision", args=[application.pk]), {}
    )
    assert "Välj bevilja eller avslå." in _html(response)


def test_an_unknown_application_is_404(
    client_for: ClientFor, world: World, admin_user: Any
) -> None:
    admin = client_for(admin_user)
    assert admin.get(reverse("web:access_decision", args=[999999])).status_code == 404
    assert admin.get(reverse("web:unit_decision", args=[999999])).status_code == 404


@pytest.mark.rule("ACC-1")
def test_an_ended_access_takes_effect_on_the_next_request(
    client: Client, client_for: ClientFor, world: World, head: Any, admin_user: Any
) -> None:
    from django.test import Client

    orderer_client = Client()
    orderer_client.force_login(world.orderer)
    assert orderer_client.get(reverse("web:ward")).status_code == 200
    client_for(f.make_head(world.ward, "avdelningschef"))
    client.post(
        reverse("web:apply_access", args=["avslutad"]),
        {"subject_hsa_id": world.orderer.hsa_id, "units": ["603001"]},
    )
    application = AccessApplication.objects.get()
    client.logout()
    client_for(admin_user).post(
        reverse("web:access_decision", args=[application.pk]), {"decision": "approve"}
    )
    response = orderer_client.get(reverse("web:ward"))
    assert response.status_code == 403  # no membership left: the no-access page


def test_head_withdraws_their_own_application(
    client_for: ClientFor, world: World, head: Any
) -> None:
    client = client_for(head)
    client.post(reverse("web:apply_access", args=["ny"]), _grant())
    application = AccessApplication.objects.get()
    client.post(reverse("web:withdraw_access", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_withdrawing_someone_elses_application_is_404(
    client_for: ClientFor, world: World, head: Any
) -> None:
    other_head = f.make_head(world.unit, "chef2")
    client_for(head).post(reverse("web:apply_access", args=["ny"]), _grant())
    application = AccessApplication.objects.get()
    response = client_for(other_head).post(reverse("web:withdraw_access", args=[application.pk]))
    assert response.status_code == 404


# --- unit applications (ACC-4, UNIT-3) -------------------------------------------------


def _unit_form(**overrides: Any) -> Any:
    data = {
        "change": "new",
        "name": "Solgården avd 3",
        "kind": "special_housing",
        "street": "Solgårdsgatan 7",
        "postcode": "417 42",
        "city": "Göteborg",
        "delivery_place": "Godsmottagningen",
    }
    for code in f.ALL_AREAS:
        data.update(
            {
                f"{code}-name": "Göteborgs Stad",
                f"{code}-invoice_street": "Box 1",
                f"{code}-invoice_postcode": "405 30",
                f"{code}-invoice_city": "Göteborg",
            }
        )
    data.update(overrides)
    return data


@pytest.mark.rule("ACC-4", "UNIT-3")
def test_head_applies_for_a_unit_and_admin_approval_shows_the_customer_number(
    client: Client, client_for: ClientFor, world: World, head: Any, admin_user: Any
) -> None:
    response = client_for(head).post(reverse("web:apply_unit"), _unit_form())
    assert response.status_code == 302
    application = UnitApplication.objects.get()
    assert application.payers.count() == len(f.ALL_AREAS)
    client.logout()
    admin = client_for(admin_user)
    assert "Solgården avd 3" in _html(admin.get(reverse("web:unit_queue")))
    url = reverse("web:unit_decision", args=[application.pk])
    response = admin.post(url, {"decision": "approve"}, follow=True)
    number = PrescribingUnit.objects.get(name="Solgården avd 3").customer_number
    assert re.fullmatch(r"\d{6}", number)
    assert f"Kundnummer: {number}" in _html(response)
    assert 'id="customer-number">' + number in _html(response)


@pytest.mark.rule("UNIT-3")
def test_a_unit_application_without_payer_and_bad_postcode_creates_nothing(
    client_for: ClientFor, world: World, head: Any
) -> None:
    response = client_for(head).post(
        reverse("web:apply_unit"), _unit_form(**{"postcode": "12", "stoma-name": ""})
    )
    html = _html(response)
    assert "Fältet måste fyllas i." in html
    assert not UnitApplication.objects.exists()
    response = client_for(head).post(reverse("web:apply_unit"), _unit_form(postcode="12"))
    assert "svenskt postnummer" in _html(response)
    assert not UnitApplication.objects.exists()


# --- special housing (SAM-1..SAM-4, AKUT-7) -------------------------------------------


@pytest.fixture
def ward(world: World) -> Any:
    world.ward.delivery_place = "Godsmottagningen, entréplan"
    world.ward.save()
    return world.ward


@pytest.fixture
def residents(world: World, ward: Any) -> Any:
    return [f.make_resident(ward, pnr) for pnr in f.PERSONNUMMER[1:4]]


def _rx(world: World, patient: Any, product: Any = None) -> Any:
    return f.make_prescription(
        patient=patient,
        product=product or world.diabetes_product,
        prescriber=world.dietitian if product else world.prescriber,
        unit=world.unit,
        amount=2,
    )


@pytest.fixture(autouse=False)
def friday() -> Iterator[Any]:
    with time_machine.travel(FRIDAY, tick=False):
        yield


@pytest.mark.rule("SAM-1")
def test_the_ward_page_lists_residents_with_what_each_may_withdraw(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    _rx(world, residents[0])
    html = _html(client_for(world.orderer).get(reverse("web:ward")))
    for p in residents:
        assert p.last_name in html
    assert "Testremsor Glukos" in html
    assert "Ny sambeställning" in html


def test_the_ward_page_needs_an_ordering_role(
    client_for: ClientFor, world: World, head: Any
) -> None:
    assert client_for(head).get(reverse("web:ward")).status_code == 403


def test_customer_service_has_no_ward_and_gets_404(client_for: ClientFor, world: World) -> None:
    assert client_for(world.customer_service).get(reverse("web:ward")).status_code == 404


@pytest.mark.rule("SAM-1", "SAM-3", "GEN-1")
def test_a_joint_order_for_two_residents_shows_each_withdrawal_number(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a, b = _rx(world, residents[0]), _rx(world, residents[1])
    client = client_for(world.orderer)
    assert client.get(reverse("web:new_joint_order")).status_code == 200
    data = {f"q-{a.pk}": "10", f"q-{b.pk}": "20", "speed": "standard"}
    # first the summary to confirm: nothing is placed yet
    summary = client.post(reverse("web:new_joint_order"), data)
    assert "Kontrollera sambeställningen" in _html(summary)
    assert not JointOrder.objects.exists()
    response = client.post(reverse("web:new_joint_order"), {**data, "action": "place"})
    assert response.status_code == 302
    order = JointOrder.objects.get()
    assert response["Location"] == reverse("web:joint_order", args=[order.number])
    html = _html(client.get(response["Location"]))
    assert order.number in html
    for w in order.withdrawals.all():
        assert w.number in html
    assert "Godsmottagningen, entréplan" in html


@pytest.mark.rule("SAM-2")
def test_a_joint_order_mixing_wards_is_refused_in_plain_words(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    other_ward = f.make_ward("603999")
    stranger = f.make_resident(other_ward, f.PERSONNUMMER[4])
    a, b = _rx(world, residents[0]), _rx(world, stranger)
    response = client_for(world.orderer).post(
        reverse("web:new_joint_order"), {f"q-{a.pk}": "10", f"q-{b.pk}": "10"}
    )
    assert response.status_code == 200
    assert "En samleverans kan inte gå över olika kundnummer." in _html(response)
    assert not JointOrder.objects.exists() and not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-4")
def test_a_joint_order_with_nutrition_is_refused_in_plain_words(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a = _rx(world, residents[0])
    n = _rx(world, residents[1], world.nutrition_product)
    response = client_for(world.orderer).post(
        reverse("web:new_joint_order"), {f"q-{a.pk}": "10", f"q-{n.pk}": "2"}
    )
    assert "Nutrition (även sondmatningstillbehör) ingår aldrig" in _html(response)
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-4")
def test_joint_ordering_needs_the_permission(
    client_for: ClientFor, world: World, residents: Any
) -> None:
    without = f.make_user("utan", unit=world.ward, role=Role.ORDERER)
    response = client_for(without).get(reverse("web:new_joint_order"))
    assert response.status_code == 403
    assert "Sambeställning – Särskilt boende" in _html(response)


@pytest.mark.rule("SAM-4")
def test_a_prescriber_may_not_joint_order(client_for: ClientFor, world: World) -> None:
    response = client_for(world.prescriber).get(reverse("web:new_joint_order"))
    assert response.status_code == 403


@pytest.mark.rule("AKUT-7")
def test_there_is_no_joint_emergency_order(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a, b = _rx(world, residents[0]), _rx(world, residents[1])
    response = client_for(world.orderer).post(
        reverse("web:new_joint_order"),
        {f"q-{a.pk}": "10", f"q-{b.pk}": "10", "speed": "emergency"},
    )
    assert "Akutleverans till särskilt boende gäller en patient i taget" in _html(response)
    assert not Withdrawal.objects.exists()


@pytest.mark.rule("SAM-3")
def test_a_ward_without_a_delivery_place_cannot_joint_order(
    client_for: ClientFor, world: World, friday: Any
) -> None:
    residents = [f.make_resident(world.ward, pnr) for pnr in f.PERSONNUMMER[1:3]]
    a, b = _rx(world, residents[0]), _rx(world, residents[1])
    response = client_for(world.orderer).post(
        reverse("web:new_joint_order"), {f"q-{a.pk}": "10", f"q-{b.pk}": "10"}
    )
    assert "Avdelningen saknar anvisad leveransplats." in _html(response)
    assert not Withdrawal.objects.exists()


def test_joint_order_bad_input_shows_swedish_errors_and_creates_nothing(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a = _rx(world, residents[0])
    client = client_for(world.orderer)
    response = client.post(reverse("web:new_joint_order"), {f"q-{a.pk}": "tio"})
    assert "Ange antalet som ett heltal." in _html(response)
    response = client.post(reverse("web:new_joint_order"), {"q-99999999": "5"})
    assert "finns inte" in _html(response)
    response = client.post(reverse("web:new_joint_order"), {})
    assert "En sambeställning gäller flera patienter" in _html(response)
    assert not Withdrawal.objects.exists()


def test_another_wards_joint_order_is_404(
    client_for: ClientFor, world: World, residents: Any, friday: Any
) -> None:
    a, b = _rx(world, residents[0]), _rx(world, residents[1])
    client_for(world.orderer).post(
        reverse("web:new_joint_order"), {f"q-{a.pk}": "10", f"q-{b.pk}": "10", "action": "place"}
    )
    order = JointOrder.objects.get()
    other_ward = f.make_ward("603888")
    other = f.make_user("annan-bestallare", unit=other_ward, role=Role.ORDERER, joint_ordering=True)
    response = client_for(other).get(reverse("web:joint_order", args=[order.number]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="withdrawals.joint_order.read", outcome="not_found"
    ).exists()


# --- contact details (CON-1..CON-4) ---------------------------------------------------


@pytest.mark.rule("CON-1")
def test_a_switchboard_number_is_refused_as_direct_number(
    client_for: ClientFor, world: World
) -> None:
    client = client_for(world.prescriber)
    response = client.post(
        reverse("web:edit_contact"),
        {"phone": "031-10 00 00", "phone_is_switchboard": "on", "email": "a@example.se"},
    )
    assert "inte ett växelnummer" in _html(response)
    world.prescriber.refresh_from_db()
    assert world.prescriber.email != "a@example.se"


@pytest.mark.rule("CON-1")
def test_direct_number_and_email_are_saved_on_my_page(client_for: ClientFor, world: World) -> None:
    client = client_for(world.prescriber)
    response = client.post(
        reverse("web:edit_contact"), {"phone": "070-123 45 67", "email": "ny@example.se"}
    )
    assert response.status_code == 302
    html = _html(client.get(reverse("web:my_page")))
    assert "+46701234567" in html and "ny@example.se" in html


def test_contact_bad_input_shows_swedish_errors(client_for: ClientFor, world: World) -> None:
    response = client_for(world.prescriber).post(
        reverse("web:edit_contact"), {"phone": "", "email": "x"}
    )
    html = _html(response)
    assert "Ange ditt direktnummer." in html and "Ange en giltig e-postadress." in html


@pytest.mark.rule("CON-3")
def test_an_unverified_prescriber_is_sent_to_verify_and_blocked(
    client_for: ClientFor,
    world: World,
    email_gate: None,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client = client_for(world.prescriber)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"] == reverse("web:confirm_email")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("web:confirm_email"))
    assert world.prescriber.email in _html(page)
    assert [m.to for m in mailoutbox] == [[world.prescriber.email]]
    # a reload does not send another link
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("web:confirm_email"))
    assert len(mailoutbox) == 1
    assert client.get(reverse("web:my_page"))["Location"] == reverse("web:confirm_email")
    link = re.search(r"http://testserver(/e-post/verifiera/\?token=\S+)", str(mailoutbox[0].body))
    assert link
    assert client.get(link.group(1)).status_code == 200
    token = link.group(1).split("token=")[1]
    response = client.post(reverse("web:verify_email"), {"token": token})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


@pytest.mark.rule("CON-3")
def test_a_forged_verification_link_is_refused(
    client: Client, world: World, email_gate: None
) -> None:
    response = client.post(reverse("web:verify_email"), {"token": "forged"})
    assert response.status_code == 200  # like every form that comes back with errors
    assert "Länken är ogiltig." in _html(response)
    assert "Länken är ogiltig." in _html(client.get(reverse("web:verify_email")))
    assert AuditEvent.objects.filter(
        action="accounts.email_verification.verified", outcome="refused"
    ).exists()


@pytest.mark.rule("CON-3")
def test_the_gate_lets_logout_and_contact_details_through(
    client_for: ClientFor, world: World, email_gate: None
) -> None:
    client = client_for(world.prescriber)
    assert client.get(reverse("web:edit_contact")).status_code == 200
    assert client.post(reverse("web:logout")).status_code == 302


def test_non_prescribing_roles_are_not_gated(
    client_for: ClientFor, world: World, email_gate: None
) -> None:
    assert client_for(world.orderer).get(reverse("web:ward")).status_code == 200


@pytest.mark.rule("CON-4")
def test_admin_sends_an_information_mailing_to_prescribers_of_an_area(
    client_for: ClientFor,
    world: World,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    admin = client_for(f.make_admin("admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("web:mailing"),
            {"subject": "Nytt sortiment", "body": "Hej!", "areas": ["nutrition"]},
            follow=True,
        )
    mailing = InformationMailing.objects.get()
    assert f"skickades till {mailing.recipients} förskrivare" in _html(response)
    recipients = {m.to[0] for m in mailoutbox}
    assert world.dietitian.email in recipients and world.doctor.email in recipients
    assert world.prescriber.email not in recipients


@pytest.mark.rule("CON-4")
def test_customer_service_may_send_mailings_but_not_a_prescriber(
    client_for: ClientFor, world: World
) -> None:
    assert client_for(world.customer_service).get(reverse("web:mailing")).status_code == 200
    assert client_for(world.prescriber).get(reverse("web:mailing")).status_code == 403


def test_mailing_bad_input_shows_swedish_errors_and_sends_nothing(
    client_for: ClientFor, world: World
) -> None:
    admin = client_for(f.make_admin("admin"))
    response = admin.post(reverse("web:mailing"), {"subject": "", "body": "", "units": "999999"})
    html = _html(response)
    assert "Fältet måste fyllas i." in html and "Skriv meddelandet." in html
    response = admin.post(
        reverse("web:mailing"), {"subject": "Hej", "body": "Text", "units": "999999"}
    )
    assert "Okänt kundnummer: 999999." in _html(response)
    assert not InformationMailing.objects.exists()


@pytest.mark.rule("CON-2")
def test_customer_service_never_sees_a_prescribers_contact_details_on_a_patient(
    client_for: ClientFor, world: World
) -> None:
    rx = _rx(world, world.patient)
    world.prescriber.phone = "+46701112233"
    world.prescriber.save()
    html = _html(
        client_for(world.customer_service).get(reverse("web:patient", args=[rx.patient_id]))
    )
    assert world.prescriber.email not in html
    assert "+46701112233" not in html and "070-111 22 33" not in html
