"""Deciding cases: customer service only, return for completion, one decision wins."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection

from lmn.cases.models import Case, CaseEvent
from lmn.cases.services import (
    approve_case,
    complete_case,
    reject_case,
    return_case,
    work_queue,
)
from lmn.cases.states import CaseStatus
from lmn.core.errors import DomainError, PermissionDenied
from lmn.notifications.models import Notification
from lmn.patients.models import Patient
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import World


def submit(world: World, product: Any, **overrides: Any) -> Any:
    return f.make_case(
        "out_of_assortment",
        user=world.prescriber,
        unit=world.unit,
        product=product,
        patient=world.patient,
        **overrides,
    )


def test_only_customer_service_decides(world: World, ooa_product: Any) -> None:
    case = submit(world, ooa_product)
    for user in (world.prescriber, world.doctor):
        with pytest.raises(PermissionDenied):
            approve_case(case, actor=world.actor(user))
        with pytest.raises(PermissionDenied):
            return_case(case, reason="x", actor=world.actor(user))
    with pytest.raises(PermissionDenied):
        work_queue(actor=world.actor(world.prescriber))
    assert Case.objects.get().status == CaseStatus.SUBMITTED


@pytest.mark.rule("OOA-2")
def test_return_for_completion_needs_a_stated_reason(
    world: World, ooa_product: Any, agent: Any
) -> None:
    case = submit(world, ooa_product)
    with pytest.raises(DomainError) as err:
        return_case(case, reason="   ", actor=agent)
    assert err.value.code == "OOA-2"
    assert Case.objects.get().status == CaseStatus.SUBMITTED


@pytest.mark.rule("OOA-2")
def test_a_returned_case_is_completed_and_sent_again_before_anything_is_ordered(
    world: World, ooa_product: Any, agent: Any
) -> None:
    case = submit(world, ooa_product)
    returned = return_case(case, reason="Ange storlek och varför XL behövs.", actor=agent)
    assert returned.status == CaseStatus.RETURNED
    assert not Prescription.objects.exists()  # nothing ordered before completion
    body = Notification.objects.get().body
    assert "Ange storlek och varför XL behövs." in body
    with pytest.raises(DomainError) as err:
        approve_case(returned, actor=agent)  # not while it is with the prescriber
    assert err.value.code == "case_already_decided"

    again = complete_case(
        returned,
        f.case_draft(
            "out_of_assortment",
            product=ooa_product,
            patient=world.patient,
            justification="Storlek XL; upphandlade skydd läcker vid XL.",
        ),
        actor=world.actor(world.prescriber),
    )
    assert again.status == CaseStatus.RESUBMITTED
    assert [c.pk for c in work_queue(actor=agent)] == [case.pk]
    assert approve_case(again, actor=agent).prescription is not None
    assert list(CaseEvent.objects.order_by("pk").values_list("to_status", flat=True)) == [
        "submitted",
        "returned_for_completion",
        "resubmitted",
        "approved",
    ]


def test_a_rejected_case_is_closed_with_an_email(
    world: World, ooa_product: Any, agent: Any
) -> None:
    case = submit(world, ooa_product)
    with pytest.raises(DomainError):
        reject_case(case, reason="", actor=agent)
    rejected = reject_case(
        case, reason="Produkten finns i sortimentet i rätt storlek.", actor=agent
    )
    assert rejected.status == CaseStatus.REJECTED
    assert Notification.objects.get().recipient == world.prescriber.email
    with pytest.raises(DomainError) as err:
        approve_case(rejected, actor=agent)
    assert err.value.code == "case_already_decided"


def test_a_second_decision_on_a_decided_case_is_refused_and_changes_nothing(
    world: World, asylum_unit: Any, agent: Any
) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    stale = Case.objects.get(pk=case.pk)  # the other agent's copy, read before the decision
    approve_case(case, actor=agent)
    decide: Callable[[], object]
    for decide in (
        lambda: approve_case(stale, actor=agent),
        lambda: reject_case(stale, reason="Dubblett", actor=agent),
        lambda: return_case(stale, reason="Komplettera", actor=agent),
    ):
        with pytest.raises(DomainError) as err:
            decide()
        assert err.value.code == "case_already_decided"
    assert Patient.objects.filter(identity_kind="lma").count() == 1
    assert Prescription.objects.count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_agents_deciding_one_case_at_once_exactly_one_wins(
    world: World, asylum_unit: Any
) -> None:
    """Two customer-service agents press approve and reject on the same case at the same
    moment, on PostgreSQL with real row locks: one decision wins, the other is refused."""
    assert connection.vendor == "postgresql"
    second = f.make_user("kundtjanst2", unit=None, role="kundtjanst")
    agents = [world.actor(world.customer_service), world.actor(second)]
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(i: int) -> None:
        try:
            mine = Case.objects.get(pk=case.pk)
            barrier.wait()
            if i == 0:
                approve_case(mine, actor=agents[0])
            else:
                reject_case(mine, reason="Avslås", actor=agents[1])
            outcomes.append("won")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["case_already_decided", "won"]
    final = Case.objects.get(pk=case.pk)
    assert final.status in (CaseStatus.APPROVED, CaseStatus.REJECTED)
    assert CaseEvent.objects.filter(case=final).count() == 2  # submitted + one decision
    assert Notification.objects.filter(object_id=str(case.pk)).count() == 1
    registered = Patient.objects.filter(identity_kind="lma").count()
    assert registered == (1 if final.status == CaseStatus.APPROVED else 0)


def test_reading_a_case_is_audited_and_a_miss_too(world: World) -> None:
    from lmn.audit.models import AuditEvent
    from lmn.cases.queries import get_case
    from lmn.core.errors import NotFound
    from lmn.testing import factories as f

    f.make_asylum_unit()
    case = f.make_case(
        "out_of_assortment",
        user=world.prescriber,
        unit=world.unit,
        product=f.make_product("incontinence", procured=False),
        patient=world.patient,
    )
    get_case(case.pk, actor=world.actor(world.customer_service))
    read = AuditEvent.objects.filter(action="cases.case.read").get()
    assert (read.object_id, read.patient_id) == (str(case.pk), world.patient.pk)
    with pytest.raises(NotFound):
        get_case(case.pk, actor=world.actor(world.outsider))
    assert AuditEvent.objects.filter(action="cases.case.read", outcome="not_found").exists()
