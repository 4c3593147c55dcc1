"""A portal route declares who may use it beside its pattern (lmn/web/urls.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from lmn.core.authorization import STAFF, RoutePolicy, public_route
from lmn.web.middleware import portal
from lmn.web.urls import POLICIES, urlpatterns


def test_every_portal_pattern_carries_the_policy_it_declares() -> None:
    assert set(POLICIES) == {str(p.pattern) for p in urlpatterns}
    assert POLICIES["logga-in/"].public
    assert not POLICIES["min-sida/"].public


def test_one_view_cannot_be_routed_with_two_different_policies() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    portal(view, RoutePolicy(STAFF))
    portal(view, RoutePolicy(STAFF))  # the same policy again is harmless
    with pytest.raises(ImproperlyConfigured):
        portal(view, public_route())
