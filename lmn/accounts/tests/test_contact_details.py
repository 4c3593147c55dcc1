"""The prescriber's contact details, e-mail verification and mailings (CON-1..CON-4)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.accounts.contact import (
    needs_email_verification,
    prescriber_for_patient,
    send_email_verification,
    send_information_mailing,
    update_contact_details,
    verify_email,
)
from lmn.accounts.models import InformationMailing, User
from lmn.audit.models import AuditEvent
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.notifications.models import Notification
from lmn.testing import factories as f
from lmn.testing.types import World

MONDAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
LINK = "https://lmn.example.se/min-sida/verifiera-epost/"


def save(world: World, user: Any = None, **overrides: Any) -> Any:
    user = user or world.prescriber
    values = {"phone": "031-765 43 21", "phone_is_switchboard": False, "email": user.email}
    values.update(overrides)
    return update_contact_details(user, actor=f.actor_of(user), **values)


def token_in(notification: Any) -> Any:
    return re.search(r"token=(\S+)", notification.body).group(1)


@pytest.mark.rule("CON-1")
def test_the_prescriber_saves_a_direct_number_on_my_page(world: World) -> None:
    user = save(world)
    assert user.phone == "+46317654321" and not user.phone_is_switchboard
    assert AuditEvent.objects.get(action="accounts.contact.updated").data["changed"] == ["phone"]


@pytest.mark.rule("CON-1")
def test_a_switchboard_number_is_refused_as_the_direct_number(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        save(world, phone="031-10 00 00", phone_is_switchboard=True)
    assert refused.value.code == "CON-1"
    assert User.objects.get(pk=world.prescriber.pk).phone == "031-123 45 67"
    assert AuditEvent.objects.get(action="accounts.contact.updated").outcome == "refused"


@pytest.mark.rule("CON-1")
@pytest.mark.parametrize("phone", ["", "12", "not a number"])
def test_a_direct_number_is_required_and_must_be_valid(world: World, phone: Any) -> None:
    with pytest.raises(DomainError):
        save(world, phone=phone)
    assert User.objects.get(pk=world.prescriber.pk).phone == "031-123 45 67"


@pytest.mark.rule("CON-1")
def test_a_flagged_switchboard_number_is_replaced_by_a_direct_one(world: World) -> None:
    User.objects.filter(pk=world.prescriber.pk).update(phone_is_switchboard=True)
    world.prescriber.refresh_from_db()
    user = save(world)
    assert not user.phone_is_switchboard


@pytest.mark.rule("CON-1")
def test_nobody_else_can_change_a_prescribers_contact_details(world: World) -> None:
    with pytest.raises(NotFound):
        update_contact_details(
            world.prescriber,
            phone="031-765 43 21",
            phone_is_switchboard=False,
            email="evil@example.se",
            actor=f.actor_of(world.customer_service),
        )
    assert User.objects.get(pk=world.prescriber.pk).email != "evil@example.se"


@pytest.mark.rule("CON-3")
def test_the_email_is_verified_by_a_link_sent_to_it(world: World) -> None:
    user = world.prescriber
    today = MONDAY.date()
    assert needs_email_verification(user, today=today)  # never verified
    with time_machine.travel(MONDAY, tick=False):
        notification = send_email_verification(user, actor=f.actor_of(user), link_base=LINK)
        assert notification.channel == "email" and notification.recipient == user.email
        assert LINK + "?token=" in notification.body
        verified = verify_email(token_in(notification))
    assert verified.email_verified_address == user.email
    assert not needs_email_verification(verified, today=today)
    assert AuditEvent.objects.filter(action="accounts.email_verification.verified").count() == 1


@pytest.mark.rule("CON-3")
def test_the_email_must_be_verified_again_after_six_months(world: World) -> None:
    user = world.prescriber
    with time_machine.travel(MONDAY, tick=False):
        n = send_email_verification(user, actor=f.actor_of(user), link_base=LINK)
        user = verify_email(token_in(n))
    assert not needs_email_verification(user, today=dt.date(2027, 5, 29))
    assert needs_email_verification(user, today=dt.date(2027, 5, 30))


@pytest.mark.rule("CON-3")
def test_a_changed_address_must_be_verified_again(world: World) -> None:
    user = world.prescriber
    with time_machine.travel(MONDAY, tick=False):
        n = send_email_verification(user, actor=f.actor_of(user), link_base=LINK)
        user = verify_email(token_in(n))
        user = save(world, user, email="ny.adress@example.se")
    assert needs_email_verification(user, today=MONDAY.date())


@pytest.mark.rule("CON-3")
def test_an_expired_used_or_forged_link_is_refused(world: World) -> None:
    user = world.prescriber
    with time_machine.travel(MONDAY, tick=False):
        token = token_in(send_email_verification(user, actor=f.actor_of(user), link_base=LINK))
    with time_machine.travel(MONDAY + dt.timedelta(hours=49), tick=False):
        with pytest.raises(DomainError) as expired:
            verify_email(token)
    assert expired.value.code == "CON-3"
    with time_machine.travel(MONDAY, tick=False):
        verify_email(token)
        with pytest.raises(DomainError) as used:
            verify_email(token)  # a link works once
    assert used.value.code == "invalid_link"
    with pytest.raises(DomainError) as forged:
        verify_email(token[:-2] + "xx")
    assert forged.value.code == "invalid_link"
    assert (
        AuditEvent.objects.filter(action="accounts.email_verification.verified")
        .exclude(outcome="ok")
        .count()
        == 3
    )


@pytest.mark.rule("CON-3")
def test_the_verification_email_is_sent_after_commit(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    user = world.prescriber
    with django_capture_on_commit_callbacks(execute=True):
        send_email_verification(user, actor=f.actor_of(user), link_base=LINK)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


@pytest.mark.rule("CON-2")
def test_patient_facing_prescriber_data_never_holds_contact_details(world: World) -> None:
    user = world.prescriber
    User.objects.filter(pk=user.pk).update(
        phone="+46317654321", email="forskrivare.direkt@example.se"
    )
    user.refresh_from_db()
    shown = prescriber_for_patient(user, world.unit)
    assert shown.name == user.display_name and shown.unit_name == world.unit.name
    assert shown.role == "Förskrivare"
    fields = {f.name for f in dataclasses.fields(shown)}
    assert not fields & {"phone", "email", "hsa_id", "mobile"}
    text = repr(dataclasses.asdict(shown))
    for secret in (user.phone, "7654321", user.email, user.hsa_id):
        assert secret not in text


@pytest.mark.rule("CON-4")
def test_an_information_mailing_goes_to_every_active_prescriber_of_the_area(world: World) -> None:
    inactive = f.make_user(unit=world.unit, areas=["diabetes"])
    inactive.memberships.update(active=False)
    admin = f.make_admin()
    mailing = send_information_mailing(
        subject="Nytt sortiment diabetes",
        body="Från 1 januari gäller nya testremsor.",
        areas=["diabetes"],
        actor=f.actor_of(admin),
    )
    recipients = set(
        Notification.objects.filter(object_id=str(mailing.pk)).values_list("recipient", flat=True)
    )
    # the prescriber (diabetes), the doctor (every area) and the outsider (default areas)
    assert recipients == {world.prescriber.email, world.doctor.email, world.outsider.email}
    assert world.dietitian.email not in recipients  # nutrition only
    assert world.orderer.email not in recipients  # not a prescriber
    assert inactive.email not in recipients
    assert mailing.recipients == 3
    event = AuditEvent.objects.get(action="accounts.mailing.sent")
    assert event.data["recipients"] == 3 and event.data["areas"] == ["diabetes"]


@pytest.mark.rule("CON-4")
def test_a_mailing_can_be_limited_to_units(world: World) -> None:
    mailing = send_information_mailing(
        subject="Info",
        body="Hej",
        units=[world.other_unit],
        actor=f.actor_of(world.customer_service),
    )
    assert set(
        Notification.objects.filter(object_id=str(mailing.pk)).values_list("recipient", flat=True)
    ) == {world.outsider.email}


@pytest.mark.rule("CON-4")
def test_only_administration_and_customer_service_send_to_prescribers(world: World) -> None:
    with pytest.raises(PermissionDenied):
        send_information_mailing(subject="Spam", body="x", actor=f.actor_of(world.prescriber))
    assert not InformationMailing.objects.exists() and not Notification.objects.exists()
    assert AuditEvent.objects.filter(outcome="denied").count() == 1
