"""The Django admin, over HTTP: access is never granted here (ACC-1), and every change any
admin makes is in our audit trail, in the change's own transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from lmn.accounts.models import Membership
from lmn.audit.admin_site import AuditedAdminMixin
from lmn.audit.models import AuditEvent
from lmn.audit.services import verify_chain
from lmn.catalog.models import AssortmentNews, Product
from lmn.delivery.models import PickupPoint
from lmn.testing import factories as f
from lmn.testing.types import World


@pytest.fixture
def admin_client(world: Any, client: Any) -> Any:
    user = f.make_admin("lmnadmin")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    client.user = user
    return client


def _events(action: str) -> Any:
    return AuditEvent.objects.filter(action=action).order_by("id")


def _membership_form(user: Any, **extra: str) -> dict[str, str]:
    """The user's change form as the admin posts it, with one membership row added."""
    prefix = "memberships"
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "hsa_id": user.hsa_id,
        "phone": user.phone,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        **extra,
    }


@pytest.mark.rule("ACC-1")
def test_the_admin_cannot_add_a_membership(world: World, admin_client: Any) -> None:
    nobody = f.make_user("utan_behorighet", role="")
    nutrition = world.nutrition_product.area
    url = f"/admin/accounts/user/{nobody.pk}/change/"

    page = admin_client.get(url)
    response = admin_client.post(
        url,
        _membership_form(
            nobody,
            **{
                "memberships-0-unit": str(world.unit.pk),
                "memberships-0-role": "lakare",
                "memberships-0-areas": str(nutrition.pk),
                "memberships-0-active": "on",
            },
        ),
    )

    assert page.status_code == 200
    assert "memberships-0-role" not in page.text  # rows are shown, not editable
    assert response.status_code == 302  # the user was saved; the row was ignored
    assert not Membership.objects.filter(user=nobody).exists()


@pytest.mark.rule("ACC-1")
def test_the_admin_cannot_change_or_delete_a_membership(world: World, admin_client: Any) -> None:
    membership = Membership.objects.get(user=world.prescriber)
    url = f"/admin/accounts/user/{world.prescriber.pk}/change/"

    page = admin_client.get(url)
    admin_client.post(
        url,
        _membership_form(
            world.prescriber,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "1",
                "memberships-0-id": str(membership.pk),
                "memberships-0-user": str(world.prescriber.pk),
                "memberships-0-role": "lakare",
                "memberships-0-DELETE": "on",
            },
        ),
    )

    assert "Vårdcentralen Hjärtat" in page.text  # the membership is shown
    membership.refresh_from_db()
    assert membership.role == "forskrivare" and membership.active


def test_the_admin_cannot_make_a_user_superuser(world: World, admin_client: Any) -> None:
    nobody = f.make_user("utan_behorighet", role="")
    response = admin_client.post(
        f"/admin/accounts/user/{nobody.pk}/change/",
        _membership_form(
            nobody, is_staff="on", is_superuser="on", **{"memberships-TOTAL_FORMS": "0"}
        ),
    )
    assert response.status_code == 302
    nobody.refresh_from_db()
    assert not nobody.is_superuser and not nobody.is_staff


def test_a_change_in_the_admin_is_audited_with_the_fields_but_not_the_values(
    world: World, admin_client: Any
) -> None:
    product = world.diabetes_product
    data = {
        "article_number": product.article_number,
        "name": "Testremsor Glukos Plus",
        "area": str(product.area_id),
        "package_size": product.package_size,
        "ordering_unit": product.ordering_unit,
        "price_sek": "120.00",
        "procured": "on",
        "stocked": "on",
        "stock_quantity": "1000",
        "active": "on",
    }

    response = admin_client.post(f"/admin/catalog/product/{product.pk}/change/", data)

    assert response.status_code == 302, response.content
    assert Product.objects.get(pk=product.pk).name == "Testremsor Glukos Plus"
    event = _events("admin.catalog.product.changed").get()
    assert (event.actor_hsa_id, event.actor_role) == (admin_client.user.hsa_id, "lmnadmin")
    assert (event.object_type, event.object_id) == ("catalog.product", str(product.pk))
    assert set(event.data["fields"]) >= {"Name", "Price sek"}  # the form's labels
    assert "Plus" not in str(event.data)
    assert verify_chain() is None


def test_an_addition_and_a_deletion_in_the_admin_are_audited(
    world: World, admin_client: Any
) -> None:
    response = admin_client.post(
        "/admin/delivery/pickuppoint/add/",
        {
            "code": "PN-1",
            "name": "Ombud Centrum",
            "street": "Torget 1",
            "postcode": "41301",
            "city": "Göteborg",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content
    point = PickupPoint.objects.get(code="PN-1")

    response = admin_client.post(f"/admin/delivery/pickuppoint/{point.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not PickupPoint.objects.exists()
    assert _events("admin.delivery.pickuppoint.added").get().object_id == str(point.pk)
    assert _events("admin.delivery.pickuppoint.deleted").get().object_id == str(point.pk)


def test_a_bulk_delete_in_the_admin_audits_each_row(world: World, admin_client: Any) -> None:
    news = [
        AssortmentNews.objects.create(title=f"Nytt {i}", body="", published="2026-01-0" + str(i))
        for i in (1, 2, 3)
    ]

    response = admin_client.post(
        "/admin/catalog/assortmentnews/",
        {
            "action": "delete_selected",
            "_selected_action": [str(n.pk) for n in news[:2]],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert list(AssortmentNews.objects.all()) == [news[2]]
    deleted = _events("admin.catalog.assortmentnews.deleted")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(
        str(n.pk) for n in news[:2]
    )


def test_a_change_in_a_third_party_admin_is_audited_too(world: World, admin_client: Any) -> None:
    response = admin_client.post("/admin/auth/group/add/", {"name": "Granskare"})

    assert response.status_code == 302, response.content
    group = Group.objects.get(name="Granskare")
    assert _events("admin.auth.group.added").get().object_id == str(group.pk)


def test_every_registered_admin_is_audited() -> None:
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert unaudited == []


@pytest.mark.rule("ACC-3")
def test_the_admin_cannot_add_a_product_area(world: World, admin_client: Any) -> None:
    from lmn.catalog.models import ProductArea

    before = ProductArea.objects.count()
    response = admin_client.post(
        "/admin/catalog/productarea/add/", {"code": "gold", "name": "Guld", "sort_order": "9"}
    )
    assert response.status_code == 403
    assert ProductArea.objects.count() == before
    assert admin_client.get("/admin/catalog/productarea/").status_code == 200


def test_a_password_set_in_the_admin_is_audited_without_the_password(
    world: World, admin_client: Any
) -> None:
    user = world.prescriber
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "Ny-Lösen-2026!x", "password2": "Ny-Lösen-2026!x", "usable_password": "true"},
    )

    assert response.status_code == 302, response.content
    user.refresh_from_db()
    assert user.check_password("Ny-Lösen-2026!x")
    event = _events("admin.accounts.user.changed").get()
    assert event.object_id == str(user.pk)
    assert "Lösen" not in str(event.data)
