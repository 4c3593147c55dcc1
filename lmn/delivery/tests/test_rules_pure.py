"""The delivery rules are pure: they read nothing, so the caller passes what they need."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from lmn.catalog.models import Product, ProductArea
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest, Destination, NotifyBy, Speed
from lmn.delivery.models import RegionPolicy
from lmn.delivery.rules import plan_delivery

POLICY = RegionPolicy(region="VG")
RECEIVED = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _product(area: str, *, procured: bool = True) -> Product:
    return Product(name="Testprodukt", area=ProductArea(code=area, name=area), procured=procured)


def _pickup(**more: str) -> DeliveryRequest:
    values: dict[str, Any] = {
        "destination": Destination.PICKUP_POINT,
        "pickup_point_id": "P-1",
        "notify_by": NotifyBy.SMS,
        "phone": "0701234567",
        "street": "Storgatan 1",
        "postcode": "41101",
        "city": "Göteborg",
    }
    return DeliveryRequest(**(values | more))


@pytest.mark.rule("PICK-1", "PICK-4")
def test_a_pickup_plan_reads_nothing_from_the_database(
    db: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(0):
        plan = plan_delivery(
            _pickup(),
            products=[_product(ProductArea.DIABETES)],
            actor_role="prescriber",
            registered_multi_family=False,
            policy=POLICY,
            received_at=RECEIVED,
        )
    assert plan.notify_by == NotifyBy.SMS
    assert any("legitimation" in n for n in plan.notices)


@pytest.mark.rule("EXPR-1", "EXPR-6", "PICK-2")
def test_every_broken_rule_is_named_at_once(
    db: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    req = _pickup(speed=Speed.EXPRESS, phone="")
    with django_assert_num_queries(0), pytest.raises(DomainError) as refused:
        plan_delivery(
            req,
            products=[_product(ProductArea.DIABETES)],
            actor_role="care_staff",
            registered_multi_family=False,
            policy=POLICY,
            received_at=RECEIVED,
        )
    codes = {p.code for p in refused.value.problems}
    assert {"EXPR-1", "EXPR-6", "EXPR-5", "PICK-2"} <= codes
