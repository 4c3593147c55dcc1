"""Access applications in the portal: the head of unit applies, administration decides
(ACC-1, ACC-5). Wrong role 403, wrong unit 404, bad input in Swedish with nothing created."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lmn.accounts.models import AccessApplication, Membership, User
from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.organisations.models import CareProvider
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World

from .helpers import FRIDAY, NEW_HSA, _grant, _html


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
