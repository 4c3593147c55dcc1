"""Contact details, e-mail verification and information mailings (CON-1..CON-4)."""

from __future__ import annotations

import re

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.accounts.models import InformationMailing
from lmn.audit.models import AuditEvent
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World

from .helpers import _html, _rx


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
