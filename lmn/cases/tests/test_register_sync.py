"""The register sync carried through: a patient newly protected (SKYDD-7, SKYDD-5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lmn.api.tests.conftest import client_for as api_client
from lmn.audit.models import AuditEvent
from lmn.cases.followups import open_follow_ups
from lmn.cases.jobs import run_case_jobs
from lmn.cases.models import FollowUp
from lmn.core.actor import Role
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.labels import label_html
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.protected import cancel_held, deliver_held_to_unit
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_picked, mark_shipped
from lmn.withdrawals.states import WithdrawalStatus

HOME = "Hemgatan 3 lgh 1201"
DOOR_CODE = "4711"
PHONE = "0709998877"


def _to_the_door(world: Any, rx: Any) -> Withdrawal:
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient,
            lines=[LineDraft(rx.pk, 5)],
            delivery=DeliveryRequest(
                street=HOME,
                postcode="41301",
                city="Göteborg",
                multi_family=True,
                door_code=DOOR_CODE,
                phone=PHONE,
            ),
        ),
        actor=world.actor(world.prescriber),
    )
    return w


@pytest.fixture
def depot_user(world: Any) -> Any:
    return f.make_user("depa", role=Role.DISTRIBUTOR, unit=None)


@pytest.fixture
def newly_protected(world: Any, depot_user: Any) -> dict[str, Withdrawal]:
    """Three withdrawals to the door: placed, picked and shipped; then the register
    protects the patient and the scheduled jobs run."""
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    depot = world.actor(depot_user)
    placed, picked, shipped = (_to_the_door(world, rx) for _ in range(3))
    mark_picked(picked, actor=depot)
    mark_shipped(mark_picked(shipped, actor=depot), actor=depot)
    f.register_person(world.patient.identifier, protected=True)
    run_case_jobs()
    return {"placed": placed, "picked": picked, "shipped": shipped}


def _seen_by_distributor(depot_user: Any, number: str) -> str:
    """Everything the distributor's queue, API and label give for `number`, as text."""
    api = api_client(depot_user)
    portal = Client()
    portal.force_login(depot_user)
    answers = [
        api.get("/api/v1/distributor/withdrawals").content.decode(),
        portal.get(reverse("web:distributor")).content.decode(),
    ]
    read = api.get(f"/api/v1/withdrawals/{number}")
    label = portal.get(reverse("web:label", args=[number]))
    if read.status_code == 200:
        answers.append(read.content.decode())
    if label.status_code == 200:
        answers.append(label_html(Withdrawal.objects.get(number=number)))
    return "\n".join(answers)


@pytest.mark.rule("SKYDD-5")
@pytest.mark.rule("SKYDD-7")
def test_open_withdrawals_of_a_newly_protected_patient_are_held_from_the_distributor(
    world: World, depot_user: Any, newly_protected: dict[str, Withdrawal]
) -> None:
    for key in ("placed", "picked"):
        number = newly_protected[key].number
        seen = _seen_by_distributor(depot_user, number)
        for secret in (number, HOME, DOOR_CODE, PHONE, world.patient.last_name):
            assert secret not in seen, (key, secret)
        api = api_client(depot_user)
        assert api.get(f"/api/v1/withdrawals/{number}").status_code == 404
        assert api.get(f"/api/v1/withdrawals/{number}/label.pdf").status_code == 404
        assert Withdrawal.objects.get(number=number).status == key  # held, not lost
    # already with the carrier: not ours to hold
    assert newly_protected["shipped"].number in _seen_by_distributor(
        depot_user, newly_protected["shipped"].number
    )
    assert AuditEvent.objects.filter(action="withdrawals.withdrawal.held").count() == 2


@pytest.mark.rule("SKYDD-5")
@pytest.mark.rule("SKYDD-7")
def test_customer_service_is_told_once_and_the_units_decision_releases_to_the_unit(
    world: World, depot_user: Any, newly_protected: dict[str, Withdrawal]
) -> None:
    agent = world.actor(world.customer_service)
    run_case_jobs()  # again: nothing new
    follow_ups = [u for u in open_follow_ups(actor=agent) if u.kind == "protected_hold"]
    assert sorted(u.withdrawal.number for u in follow_ups) == sorted(
        newly_protected[k].number for k in ("placed", "picked")
    )
    picked = newly_protected["picked"]
    with pytest.raises(DomainError) as refused:
        deliver_held_to_unit(picked, care_of=" ", actor=agent)
    assert refused.value.code == "SKYDD-5"
    with pytest.raises(DomainError):
        cancel_held(picked, actor=agent)  # picked: it can only go to the unit

    released = deliver_held_to_unit(picked, care_of="Syster Berg", actor=agent)

    assert (released.destination, released.street) == ("unit", world.unit.street)
    assert (released.door_code, released.phone) == ("", world.prescriber.phone)
    seen = _seen_by_distributor(depot_user, picked.number)
    assert picked.number in seen and world.unit.name in label_html(released)
    for secret in (HOME, DOOR_CODE, PHONE, world.patient.last_name):
        assert secret not in seen
    cancelled = cancel_held(newly_protected["placed"], actor=agent)
    assert cancelled.status == WithdrawalStatus.CANCELLED
    assert FollowUp.objects.filter(kind="protected_hold").count() == 2


@pytest.mark.rule("SKYDD-5")
@pytest.mark.rule("SKYDD-7")
def test_customer_service_records_the_units_decision_in_portal_and_api(
    world: World, depot_user: Any, newly_protected: dict[str, Withdrawal]
) -> None:
    picked = FollowUp.objects.get(withdrawal=newly_protected["picked"])
    placed = FollowUp.objects.get(withdrawal=newly_protected["placed"])
    portal = Client()
    portal.force_login(world.customer_service)
    page = portal.get(reverse("web:follow_ups")).content.decode()
    assert newly_protected["picked"].number in page and world.unit.name in page
    for secret in (HOME, DOOR_CODE, PHONE, world.patient.last_name):
        assert secret not in page
    url = reverse("web:held_delivery", args=[picked.pk])
    refused = portal.post(url, {f"d{picked.pk}-decision": "unit"})
    assert refused.status_code == 200 and "Ange c/o" in refused.content.decode()
    done = portal.post(
        url, {f"d{picked.pk}-decision": "unit", f"d{picked.pk}-care_of": "Syster Berg"}
    )
    assert done.status_code == 302
    released = Withdrawal.objects.get(pk=picked.withdrawal_id)
    assert (released.is_held, released.care_of, released.street) == (
        False,
        "Syster Berg",
        world.unit.street,
    )
    run_case_jobs()  # the decision stands: the released withdrawal is not held again
    assert not Withdrawal.objects.get(pk=released.pk).is_held

    api = api_client(world.customer_service)
    r = api.post(
        f"/api/v1/follow-ups/{placed.pk}/delivery",
        {"decision": "cancel"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert (r.json()["held"], r.json()["closed"]) == (False, True)
    assert Withdrawal.objects.get(pk=placed.withdrawal_id).status == "cancelled"
    assert not [u for u in open_follow_ups(actor=world.actor(world.customer_service))]
