"""Unit applications and customer numbers (ACC-4, UNIT-1, UNIT-2, UNIT-3)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from lmn.audit.models import AuditEvent
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.organisations.models import (
    CustomerNumberCounter,
    Payer,
    PrescribingUnit,
    UnitApplication,
    UnitPayer,
)
from lmn.organisations.queries import unit_applications_visible_to
from lmn.organisations.services import (
    UnitApplicationDraft,
    allocate_customer_number,
    approve_unit_application,
    reject_unit_application,
    submit_unit_application,
    withdraw_unit_application,
)
from lmn.testing import factories as f
from lmn.testing.types import World


@pytest.fixture
def head(world: World) -> Any:
    return f.make_head(world.unit)


@pytest.fixture
def admin(world: World) -> Any:
    return f.make_admin()


@pytest.fixture
def set_series(world: World) -> Iterator[Any]:
    """Set the customer-number series (a test of skipping and exhaustion).

    A PostgreSQL sequence is not rolled back with the test, so it is put back after.
    """
    if connection.vendor != "postgresql":
        yield lambda value: CustomerNumberCounter.objects.filter(name="customer_number").update(
            value=value
        )
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM lmn_customer_number")
        before = cursor.fetchone()[0]

    def set_to(value: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval('lmn_customer_number', %s)", [value])

    yield set_to
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval('lmn_customer_number', %s)", [before + 1000])


def new_unit(**overrides: Any) -> Any:
    values: dict[str, Any] = {
        "name": "Vårdcentralen Nya Hjärtat",
        "kind": "health_centre",
        "street": "Nygatan 3",
        "postcode": "413 46",
        "city": "Göteborg",
        "payers": f.payer_drafts(),
    }
    values.update(overrides)
    return UnitApplicationDraft(**values)


def apply(world: World, head: Any, draft: Any) -> Any:
    return submit_unit_application(draft, actor=f.actor_of(head, world.unit))


@pytest.mark.rule("ACC-4")
@pytest.mark.rule("UNIT-3")
@pytest.mark.rule("UNIT-1")
def test_an_approved_new_unit_gets_a_customer_number_and_a_payer_per_area(
    world: World, head: Any, admin: Any
) -> None:
    application = apply(world, head, new_unit())
    assert application.status == "submitted" and application.unit is None
    assert application.postcode == "41346"  # normalised

    unit = approve_unit_application(application, actor=f.actor_of(admin))

    assert re.fullmatch(r"\d{6}", unit.customer_number)
    assert unit.care_provider == world.unit.care_provider
    links = UnitPayer.objects.filter(unit=unit).select_related("payer", "product_area")
    assert {link.product_area.code for link in links} == set(f.ALL_AREAS)
    by_area = {link.product_area.code: link.payer for link in links}
    assert by_area["nutrition"].name == "Kommunen nutrition"  # a different payer (UNIT-2)
    assert by_area["diabetes"] == by_area["stoma"]  # the same details are one payer
    assert by_area["diabetes"].invoice_postcode == "40530"
    application.refresh_from_db()
    assert application.status == "approved" and application.unit == unit
    assert AuditEvent.objects.filter(
        action="organisations.unit_application.approved",
        data__customer_number=unit.customer_number,
    ).exists()


@pytest.mark.rule("UNIT-3")
@pytest.mark.rule("SAM-3")
def test_a_changed_unit_gets_its_new_address_delivery_place_and_payers(
    world: World, admin: Any
) -> None:
    ward_head = f.make_head(world.ward)
    draft = new_unit(
        unit=world.ward,
        name=world.ward.name,
        kind="special_housing",
        delivery_place="Godsmottagningen, lastkaj B",
        payers=f.payer_drafts("Göteborgs Stad", postcode="41102"),
    )
    application = submit_unit_application(draft, actor=f.actor_of(ward_head, world.ward))
    assert application.kind == "change"
    unit = approve_unit_application(application, actor=f.actor_of(admin))
    assert unit.pk == world.ward.pk and unit.customer_number == "603001"
    assert unit.delivery_place == "Godsmottagningen, lastkaj B" and unit.street == "Nygatan 3"
    payers = set(UnitPayer.objects.filter(unit=unit).values_list("payer__name", flat=True))
    assert payers == {"Göteborgs Stad", "Göteborgs Stad nutrition"}


@pytest.mark.rule("UNIT-2")
@pytest.mark.rule("UNIT-3")
def test_every_product_area_needs_a_payer(world: World, head: Any) -> None:
    with pytest.raises(DomainError) as refused:
        apply(world, head, new_unit(payers=f.payer_drafts()[:4]))
    assert refused.value.code == "UNIT-2"
    assert "Stomi" in refused.value.problems[0].message
    assert not UnitApplication.objects.exists()
    assert AuditEvent.objects.get(action="organisations.unit_application.submitted").outcome == (
        "refused"
    )


@pytest.mark.rule("UNIT-3")
@pytest.mark.parametrize("postcode", ["1234", "123456", "abcde", "00123", ""])
def test_postcodes_of_the_unit_and_of_invoices_are_validated(
    world: World, head: Any, postcode: Any
) -> None:
    with pytest.raises(DomainError) as refused:
        apply(world, head, new_unit(postcode=postcode))
    assert refused.value.problems[0].field == "postcode"
    with pytest.raises(DomainError) as refused:
        apply(world, head, new_unit(payers=f.payer_drafts(postcode=postcode)))
    assert {p.field for p in refused.value.problems} >= {"payers[0].invoice_postcode"}
    assert not UnitApplication.objects.exists()


@pytest.mark.rule("ACC-4")
def test_a_head_cannot_apply_to_change_a_unit_they_do_not_head(world: World, head: Any) -> None:
    with pytest.raises(NotFound):
        apply(world, head, new_unit(unit=world.other_unit))
    assert not UnitApplication.objects.exists()
    event = AuditEvent.objects.get(action="organisations.unit_application.submitted")
    assert event.outcome == "not_found" and event.data["unit"] == "604500"


@pytest.mark.rule("ACC-4")
@pytest.mark.parametrize("persona", ["prescriber", "doctor", "customer_service"])
def test_only_a_head_of_unit_applies_for_units(world: World, persona: Any) -> None:
    with pytest.raises(PermissionDenied) as refused:
        submit_unit_application(new_unit(), actor=f.actor_of(getattr(world, persona)))
    assert refused.value.code == "ACC-4"
    assert AuditEvent.objects.get().outcome == "denied"


@pytest.mark.rule("ACC-4")
def test_only_administration_approves_and_a_decision_is_final(
    world: World, head: Any, admin: Any
) -> None:
    application = apply(world, head, new_unit())
    with pytest.raises(PermissionDenied):
        approve_unit_application(application, actor=f.actor_of(head, world.unit))
    reject_unit_application(application, actor=f.actor_of(admin), reason="Finns redan")
    with pytest.raises(DomainError) as refused:
        approve_unit_application(application, actor=f.actor_of(admin))
    assert refused.value.code == "invalid_transition"
    assert PrescribingUnit.objects.count() == 3  # the world's units only


@pytest.mark.rule("ACC-4")
def test_the_applicant_can_withdraw_an_undecided_unit_application(world: World, head: Any) -> None:
    application = apply(world, head, new_unit())
    withdraw_unit_application(application, actor=f.actor_of(head, world.unit))
    application.refresh_from_db()
    assert application.status == "withdrawn"


@pytest.mark.rule("UNIT-1")
def test_customer_numbers_are_never_reused_not_even_of_a_deactivated_unit(
    world: World, head: Any, admin: Any, set_series: Any
) -> None:
    first = approve_unit_application(apply(world, head, new_unit()), actor=f.actor_of(admin))
    PrescribingUnit.objects.filter(pk=first.pk).update(active=False)  # closed down
    # pretend the series was set back, e.g. restored from an old backup
    set_series(int(first.customer_number) - 1)
    second = approve_unit_application(apply(world, head, new_unit()), actor=f.actor_of(admin))
    assert second.customer_number != first.customer_number
    assert PrescribingUnit.objects.get(pk=first.pk).active is False


@pytest.mark.rule("UNIT-1")
def test_numbers_already_in_use_are_skipped(world: World, set_series: Any) -> None:
    set_series(602153)
    assert allocate_customer_number() == "602155"  # 602154 is the world's health centre


@pytest.mark.rule("UNIT-1")
def test_the_series_ends_at_six_digits(world: World, set_series: Any) -> None:
    set_series(999_999)
    with pytest.raises(DomainError) as refused:
        allocate_customer_number()
    assert refused.value.code == "customer_numbers_exhausted"


@pytest.mark.rule("UNIT-1")
@pytest.mark.rule("UNIT-3")
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_allocate_the_same_customer_number() -> None:
    for code in f.ALL_AREAS:
        f.area(code)
    unit = f.make_unit("602154")
    head = f.make_head(unit)
    admin = f.make_admin()
    applications = [
        submit_unit_application(new_unit(name=f"Enhet {i}"), actor=f.actor_of(head, unit))
        for i in range(6)
    ]
    barrier = threading.Barrier(len(applications))
    numbers: list[str] = []
    errors: list[BaseException] = []

    def approve(application: Any) -> None:
        try:
            barrier.wait()
            numbers.append(
                approve_unit_application(application, actor=f.actor_of(admin)).customer_number
            )
        except BaseException as err:
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(numbers) == len(set(numbers)) == 6
    assert Payer.objects.filter(name="Kommunen").count() >= 1
    assert PrescribingUnit.objects.exclude(customer_number="602154").count() == 6


@pytest.mark.rule("ACC-4")
def test_a_head_lists_their_own_unit_applications_and_administration_the_queue(
    world: World, head: Any, admin: Any
) -> None:
    """One query decides which applications a list shows, for portal and API alike."""
    first = apply(world, head, new_unit())
    second = apply(world, f.make_head(world.unit), new_unit(name="Vårdcentralen Andra"))
    third = apply(world, head, new_unit(name="Vårdcentralen Tredje"))
    assert list(unit_applications_visible_to(f.actor_of(head, world.unit))) == [third, first]
    queue = f.actor_of(admin)
    assert list(unit_applications_visible_to(queue)) == [first, second, third]
    withdraw_unit_application(third, actor=f.actor_of(head, world.unit))
    assert list(unit_applications_visible_to(queue)) == [first, second]
    assert list(unit_applications_visible_to(queue, status="withdrawn")) == [third]
