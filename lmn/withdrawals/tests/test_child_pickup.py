"""A child's parcel at a pickup point (PICK-8), with a real child patient (born 2015).

A child with valid identification collects alone; without one, a guardian with their
own ID and a population-register extract does; the orderer may name an adult relative
as contact, with a phone. The order summary and the arrival notice say so; an adult's
do not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from lmn.core.actor import Role
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest
from lmn.notifications.models import Notification
from lmn.testing import factories as f
from lmn.withdrawals.models import Collection
from lmn.withdrawals.services import (
    LineDraft,
    WithdrawalDraft,
    place_withdrawal,
    preview_withdrawal,
)
from lmn.withdrawals.shipping import (
    CollectionDraft,
    mark_arrived,
    mark_picked,
    mark_shipped,
    register_collection,
)

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CHILD_TEXT = "Ett barn med giltig legitimation får hämta paketet själv"
GUARDIAN_TEXT = "utdrag ur folkbokföringen (personbevis)"


@pytest.fixture(autouse=True)
def monday() -> Any:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def child(world: Any) -> Any:
    return f.make_child()


@pytest.fixture
def depot(world: Any) -> Any:
    return world.actor(f.make_user("depa", role=Role.DISTRIBUTOR, unit=None))


@pytest.fixture(autouse=True)
def point(world: Any) -> Any:
    return f.make_pickup_point()


def _draft(world: Any, patient: Any, **delivery: Any) -> WithdrawalDraft:
    rx = f.make_prescription(
        patient=patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    details = {
        "destination": "pickup_point",
        "pickup_point_id": "PN-41301",
        "notify_by": "sms",
        "phone": "0701234567",
        **delivery,
    }
    return WithdrawalDraft(
        patient=patient, lines=[LineDraft(rx.pk, 10)], delivery=DeliveryRequest(**details)
    )


def _arrived(world: Any, patient: Any, depot: Any, **delivery: Any) -> Any:
    w, _ = place_withdrawal(_draft(world, patient, **delivery), actor=world.actor(world.prescriber))
    for step in (mark_picked, mark_shipped, mark_arrived):
        w = step(w, actor=depot)
    return w


@pytest.mark.rule("PICK-8")
def test_the_summary_of_a_childs_order_says_who_may_collect(world: Any, child: Any) -> None:
    assert child.birth_date == dt.date(2015, 3, 15)
    plan = preview_withdrawal(_draft(world, child), actor=world.actor(world.prescriber))
    notices = " ".join(plan.notices)
    assert CHILD_TEXT in notices and GUARDIAN_TEXT in notices
    assert "vuxen närstående som kontaktperson" in notices


@pytest.mark.rule("PICK-8")
def test_an_adults_summary_has_no_child_text(world: Any) -> None:
    plan = preview_withdrawal(_draft(world, world.patient), actor=world.actor(world.prescriber))
    notices = " ".join(plan.notices)
    assert "legitimation" in notices  # the pickup notice itself is there
    assert CHILD_TEXT not in notices and GUARDIAN_TEXT not in notices


@pytest.mark.rule("PICK-8")
def test_an_adult_relative_is_named_as_contact_with_a_phone(world: Any, child: Any) -> None:
    draft = _draft(world, child, contact_person="Anna Tolvansson", contact_phone="070-765 43 21")
    plan = preview_withdrawal(draft, actor=world.actor(world.prescriber))
    assert any("Kontaktpersonen Anna Tolvansson får också hämta" in n for n in plan.notices)
    w, _ = place_withdrawal(
        _draft(
            world,
            child,
            contact_person="Anna Tolvansson",
            contact_phone="070-765 43 21",
        ),
        actor=world.actor(world.prescriber),
    )
    assert (w.contact_person, w.contact_phone) == ("Anna Tolvansson", "+46707654321")


@pytest.mark.rule("PICK-8")
def test_the_contacts_phone_is_validated_and_needs_a_name(world: Any, child: Any) -> None:
    with pytest.raises(DomainError) as err:
        place_withdrawal(
            _draft(world, child, contact_phone="070-1"), actor=world.actor(world.prescriber)
        )
    assert {(p.code, p.field) for p in err.value.problems} == {
        ("invalid_phone", "delivery.contact_phone"),
        ("contact_person_required", "delivery.contact_person"),
    }


@pytest.mark.rule("PICK-8")
def test_the_arrival_notice_for_a_child_says_who_may_collect(
    world: Any, child: Any, depot: Any
) -> None:
    _arrived(world, child, depot, contact_person="Anna Tolvansson", contact_phone="0707654321")
    body = Notification.objects.get(subject__contains="har kommit").body
    assert "Barnet får hämta själv med giltig legitimation" in body
    assert GUARDIAN_TEXT in body
    assert "Kontaktpersonen Anna Tolvansson får hämta" in body


@pytest.mark.rule("PICK-8")
def test_the_arrival_notice_for_an_adult_has_no_child_text(world: Any, depot: Any) -> None:
    _arrived(world, world.patient, depot)
    body = Notification.objects.get(subject__contains="har kommit").body
    assert "Ta med legitimation" in body
    assert "Barnet" not in body and GUARDIAN_TEXT not in body


@pytest.mark.rule("PICK-8")
def test_a_child_with_valid_identification_collects_alone(
    world: Any, child: Any, depot: Any
) -> None:
    w = _arrived(world, child, depot)
    done = register_collection(
        w, CollectionDraft(w.pickup_code, "recipient", True, False, "id-kort"), actor=depot
    )
    assert done.status == "collected"
    assert Collection.objects.get(withdrawal=w).collector == "recipient"


@pytest.mark.rule("PICK-8")
def test_without_the_childs_id_a_guardian_collects_with_a_register_extract(
    world: Any, child: Any, depot: Any
) -> None:
    w = _arrived(world, child, depot)
    without = CollectionDraft(w.pickup_code, "guardian", False, True, "körkort", "Anna T")
    with pytest.raises(DomainError) as err:
        register_collection(w, without, actor=depot)
    assert [p.field for p in err.value.problems] == ["register_extract_shown"]
    assert err.value.code == "PICK-8"
    with_extract = CollectionDraft(
        w.pickup_code, "guardian", False, True, "körkort", "Anna T", register_extract_shown=True
    )
    assert register_collection(w, with_extract, actor=depot).status == "collected"
    collection = Collection.objects.get(withdrawal=w)
    assert (collection.collector, collection.register_extract_shown) == ("guardian", True)


@pytest.mark.rule("PICK-8")
def test_a_guardian_does_not_collect_an_adults_parcel(world: Any, depot: Any) -> None:
    w = _arrived(world, world.patient, depot)
    draft = CollectionDraft(
        w.pickup_code, "guardian", False, True, "körkort", "Anna T", register_extract_shown=True
    )
    with pytest.raises(DomainError) as err:
        register_collection(w, draft, actor=depot)
    assert {(p.code, p.field) for p in err.value.problems} == {("PICK-8", "collector")}
    assert w.status == "arrived"
