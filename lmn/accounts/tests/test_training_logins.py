"""Training logins (password "demo") live only while LMN_TRAINING=1, on every path."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from lmn.accounts.models import Membership, User
from lmn.accounts.services import issue_token
from lmn.core import clock
from lmn.core.actor import Role
from lmn.testing import factories as f

PASSWORD = "demo-pass-123"


@pytest.fixture
def trainee(world: Any) -> User:
    """A training login whose name is not one of the fixed ones: the mark decides."""
    user = f.make_user("ovning7", unit=world.unit, areas=["diabetes"])
    user.training = True
    user.save(update_fields=["training"])
    return user


@pytest.fixture
def training_admin(db: None) -> User:
    user = f.make_user("ovningsadmin", unit=None, role=Role.ADMIN)
    User.objects.filter(pk=user.pk).update(training=True, is_staff=True, is_superuser=True)
    return User.objects.get(pk=user.pk)


def _token(client: Client, username: str, unit: str | None = "602154") -> Any:
    body = {"username": username, "password": PASSWORD, "unit": unit}
    return client.post("/api/v1/auth/token", json.dumps(body), content_type="application/json")


def test_seed_demo_creates_no_training_logins_in_production(db: None, settings: Any) -> None:
    settings.TRAINING_MODE = False
    out = io.StringIO()
    call_command("seed_demo", patients=10, stdout=out)
    assert not User.objects.exists()
    assert "skapas inte" in out.getvalue()
    assert "demo" not in out.getvalue().replace("seed_demo", "")


def test_the_portal_refuses_a_training_login_in_production(
    trainee: User, client: Client, settings: Any
) -> None:
    settings.TRAINING_MODE = False
    page = client.post("/logga-in/", {"username": "ovning7", "password": PASSWORD})
    assert page.status_code == 200
    assert "Fel användarnamn eller lösenord" in page.text
    assert "_auth_user_id" not in client.session


def test_the_admin_refuses_a_training_login_in_production(
    training_admin: User, client: Client, settings: Any
) -> None:
    form = {"username": "ovningsadmin", "password": PASSWORD, "next": "/admin/"}
    settings.TRAINING_MODE = False
    refused = client.post("/admin/login/?next=/admin/", form)
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # back to the login page

    settings.TRAINING_MODE = True
    assert client.post("/admin/login/?next=/admin/", form).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_api_issues_no_token_to_a_training_login_in_production(
    trainee: User, client: Client, settings: Any
) -> None:
    settings.TRAINING_MODE = False
    refused = _token(client, "ovning7")
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["code"] == "invalid_credentials"
    settings.TRAINING_MODE = True
    assert _token(client, "ovning7").status_code == 200


@pytest.mark.parametrize("who", ["trainee", "prescriber"])
def test_a_token_issued_while_training_is_dead_in_production(
    who: str, trainee: User, world: Any, settings: Any
) -> None:
    user = trainee if who == "trainee" else world.prescriber
    User.objects.filter(pk=user.pk).update(
        email_verified_at=clock.now(), email_verified_address=F("email")
    )  # CON-3 passed: only the mode decides here
    key, _ = issue_token(Membership.objects.get(user=user))
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/v1/products").status_code == 200

    settings.TRAINING_MODE = False
    dead = api.get("/api/v1/products")
    assert dead.status_code == 401
    assert dead.json()["errors"][0]["code"] == "not_authenticated"


def test_a_session_made_while_training_ends_in_production(
    training_admin: User, world: Any, settings: Any
) -> None:
    admin, portal = Client(), Client()
    admin.force_login(training_admin)
    portal.force_login(world.customer_service)  # not a trainee: the session mode decides
    assert admin.get("/admin/").status_code == 200
    assert portal.get("/min-sida/").status_code == 200

    settings.TRAINING_MODE = False
    assert admin.get("/admin/").status_code == 302
    assert portal.get("/min-sida/")["Location"].startswith("/logga-in/")
