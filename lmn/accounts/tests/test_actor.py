"""Roles and product-area permissions (ACC-2, ACC-3)."""

from __future__ import annotations

import pytest

from lmn.accounts.services import membership_for, memberships_of
from lmn.core.errors import PermissionDenied
from lmn.testing import factories as f
from lmn.testing.types import World


@pytest.mark.rule("ACC-3")
def test_the_five_product_areas_exist_with_their_swedish_names(db: None) -> None:
    from lmn.catalog.models import ProductArea

    assert list(ProductArea.objects.values_list("name", flat=True)) == [
        "Diabetes",
        "Inkontinens, blås- och tarmdysfunktion",
        "Nutrition",
        "Nutrition – Sondmatningstillbehör (plast)",
        "Stomi",
    ]


@pytest.mark.rule("ACC-3")
def test_a_prescriber_acts_with_exactly_the_areas_granted(world: World) -> None:
    actor = world.actor(world.prescriber)
    assert actor.areas == {"diabetes", "incontinence", "stoma"}
    assert actor.may_prescribe_in("diabetes") and not actor.may_prescribe_in("nutrition")


@pytest.mark.rule("ACC-2")
def test_roles_say_who_prescribes_and_who_only_orders(world: World) -> None:
    doctor, orderer = world.actor(world.doctor), world.actor(world.orderer)
    assert doctor.may_prescribe and doctor.areas == set(f.ALL_AREAS)
    assert orderer.may_order and not orderer.may_prescribe


@pytest.mark.rule("ACC-2")
def test_a_user_acts_only_in_units_they_belong_to(world: World) -> None:
    second = f.make_unit("605000")
    f.add_membership(world.prescriber, unit=second, role="forskrivare", areas=["diabetes"])
    assert [m.unit.customer_number for m in memberships_of(world.prescriber)] == [
        "602154",
        "605000",
    ]
    assert membership_for(world.prescriber, "605000").unit == second
    with pytest.raises(PermissionDenied):
        membership_for(world.prescriber, "604500")
