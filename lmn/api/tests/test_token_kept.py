"""A server keeps a token's actor between requests, but never past a change of access:
each request still asks the database whether the token, its membership, user and unit
are as they were (lmn/accounts/token_cache.py)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lmn.accounts.models import ApiToken, Membership
from lmn.accounts.services import actor_for_token
from lmn.api.tests.conftest import token_for
from lmn.catalog.models import ProductArea
from lmn.core.actor import Role


def _client(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_a_kept_token_costs_one_plain_query(world: Any) -> None:
    client = _client(token_for(world.prescriber, world.unit))
    assert client.get("/api/v1/pickup-points").status_code == 200  # the actor is built
    with CaptureQueriesContext(connection) as again:
        assert client.get("/api/v1/pickup-points").status_code == 200
    token_reads = [q for q in again.captured_queries if "accounts_apitoken" in q["sql"]]
    assert len(token_reads) == 1
    assert "accounts_membership_areas" in token_reads[0]["sql"]  # the stamp, not a rebuild


def test_an_ended_membership_stops_the_kept_token_at_once(world: Any) -> None:
    client = _client(token_for(world.prescriber, world.unit))
    assert client.get("/api/v1/pickup-points").status_code == 200
    # when the membership is ended behind the server's back (another server, the admin)
    Membership.objects.filter(user=world.prescriber, unit=world.unit).update(active=False)
    # then the next request is refused, though the actor was kept
    assert client.get("/api/v1/pickup-points").status_code == 401


def test_a_deleted_or_expired_token_is_refused_at_once(world: Any) -> None:
    token = token_for(world.prescriber, world.unit)
    client = _client(token)
    assert client.get("/api/v1/pickup-points").status_code == 200
    ApiToken.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert client.get("/api/v1/pickup-points").status_code == 401
    other = _client(token_for(world.prescriber, world.unit))
    assert other.get("/api/v1/pickup-points").status_code == 200
    ApiToken.objects.all().delete()
    assert other.get("/api/v1/pickup-points").status_code == 401


def test_a_deactivated_user_is_refused_at_once(world: Any) -> None:
    client = _client(token_for(world.prescriber, world.unit))
    assert client.get("/api/v1/pickup-points").status_code == 200
    type(world.prescriber).objects.filter(pk=world.prescriber.pk).update(is_active=False)
    assert client.get("/api/v1/pickup-points").status_code == 401


def test_a_changed_role_or_area_is_used_at_the_next_request(world: Any) -> None:
    token = token_for(world.prescriber, world.unit)
    first = actor_for_token(token)
    assert first is not None and "stoma" in first.areas
    assert actor_for_token(token) is first  # kept while nothing changed
    membership = Membership.objects.get(user=world.prescriber, unit=world.unit)
    # an area taken away is gone at the next request
    membership.areas.remove(ProductArea.objects.get(code="stoma"))
    after = actor_for_token(token)
    assert after is not None and "stoma" not in after.areas
    # and so is a role changed
    Membership.objects.filter(pk=membership.pk).update(role=Role.ORDERER)
    changed = actor_for_token(token)
    assert changed is not None and changed.role == Role.ORDERER
