"""Work lists and templates for the prescriber and the unit; the expiry notice job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from lmn.audit.models import AuditEvent
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.delivery.details import DeliveryRequest
from lmn.notifications.models import Notification
from lmn.prescriptions import worklists
from lmn.prescriptions.jobs import expiry_notices
from lmn.prescriptions.lifecycle import PrescriptionChange, change_prescription
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.templates import TemplateDraft, add_template, templates_for
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.changes import cancel_withdrawal
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def monday() -> Iterator[Any]:
    with time_machine.travel(MONDAY, tick=False):
        yield


def prescribe(world: World, *, user: Any = None, days: int = 365, **kw: Any) -> Prescription:
    return f.make_prescription(
        patient=kw.pop("patient", world.patient),
        product=kw.pop("product", world.diabetes_product),
        prescriber=user or world.prescriber,
        unit=world.unit,
        valid_until=clock.today() + dt.timedelta(days=days),
        **kw,
    )


def withdraw(world: World, p: Prescription, quantity: int) -> None:
    place_withdrawal(
        WithdrawalDraft(
            patient=p.patient, lines=[LineDraft(p.pk, quantity)], delivery=DeliveryRequest()
        ),
        actor=world.actor(world.prescriber),
    )


def test_expiring_lists_soon_and_expired_in_use_but_not_far_off_or_unused(world: World) -> None:
    soon = prescribe(world, days=10)
    prescribe(world, days=200)  # far off
    with time_machine.travel(MONDAY - dt.timedelta(days=40), tick=False):
        in_use = prescribe(world, days=20)
        unused = prescribe(world, days=20)
        withdraw(world, in_use, 20)
    mine = worklists.expiring(world.actor(world.prescriber))
    assert [p.pk for p in mine] == [in_use.pk, soon.pk]
    assert unused.pk not in [p.pk for p in mine]
    # the doctor's own list is empty; the unit's list has them all
    assert worklists.expiring(world.actor(world.doctor)) == []
    assert len(worklists.expiring(world.actor(world.doctor), worklists.UNIT)) == 2


def test_overdue_lists_patients_whose_withdrawals_ran_out_long_ago(world: World) -> None:
    with time_machine.travel(MONDAY - dt.timedelta(days=120), tick=False):
        late = prescribe(world, amount=1)
        on_time = prescribe(world, amount=1, product=f.make_product("diabetes", name="Lansett"))
        withdraw(world, late, 90)
        withdraw(world, on_time, 90)
    with time_machine.travel(MONDAY - dt.timedelta(days=20), tick=False):
        withdraw(world, late, 10)
        cancel_withdrawal(Withdrawal.objects.latest("pk"), actor=world.actor(world.prescriber))
    with time_machine.travel(MONDAY - dt.timedelta(days=10), tick=False):
        withdraw(world, on_time, 60)
    rows = worklists.overdue(world.actor(world.prescriber))
    assert [(o.prescription.pk, o.covered_until) for o in rows] == [
        (late.pk, (MONDAY - dt.timedelta(days=30)).date())
    ]


def test_changed_by_others_shows_what_someone_else_did(world: World) -> None:
    p = prescribe(world)
    mine = prescribe(world, product=f.make_product("diabetes", name="Lansett"))
    change_prescription(
        p, PrescriptionChange(1, 3, "day", p.valid_until, 90), actor=world.actor(world.doctor)
    )
    change_prescription(
        mine, PrescriptionChange(1, 3, "day", mine.valid_until, 90),
        actor=world.actor(world.prescriber),
    )  # fmt: skip
    rows = worklists.changed_by_others(world.actor(world.prescriber))
    assert [(v.prescription_id, v.changed_by) for v in rows] == [(p.pk, world.doctor)]
    # for the unit, colleagues are not "others"
    assert worklists.changed_by_others(world.actor(world.prescriber), worklists.UNIT) == []


def test_templates_put_the_rek_list_first_and_refuse_a_product_outside(world: World) -> None:
    actor = world.actor(world.prescriber)
    plain = f.make_product("diabetes", name="Aaa remsor")
    add_template(TemplateDraft(plain, 2, "day"), actor=actor)
    add_template(TemplateDraft(world.diabetes_product, 1, "day", for_unit=True), actor=actor)
    assert [t.product for t in templates_for(actor)] == [world.diabetes_product, plain]
    # the unit's template is the colleague's too, the own one is not
    assert [t.product for t in templates_for(world.actor(world.doctor))] == [world.diabetes_product]
    with pytest.raises(DomainError) as twice:
        add_template(TemplateDraft(plain, 3, "day"), actor=actor)
    assert twice.value.code == "template_exists"
    gone = f.make_product("diabetes", name="Utgången")
    gone.active = False
    gone.save()
    with pytest.raises(DomainError) as refused:
        add_template(TemplateDraft(gone, 1, "day"), actor=actor)
    assert refused.value.code == "product_inactive"


@pytest.mark.rule("RX-2")
def test_the_expiry_notice_is_a_letter_naming_the_unit_sent_once(world: World) -> None:
    world.unit.phone = "031-100 00 00"
    world.unit.save()
    p = prescribe(world, days=20)
    prescribe(world, days=200, product=f.make_product("diabetes", name="Lansett"))
    assert expiry_notices() == {"expiry_notices": 1}
    assert expiry_notices() == {"expiry_notices": 0}
    sent = Notification.objects.get()
    assert sent.channel == "letter" and sent.object_id == str(p.pk)
    assert world.unit.name in sent.body and "031-100 00 00" in sent.body
    # never the prescriber's direct details (CON-2)
    assert world.prescriber.phone not in sent.body
    assert world.prescriber.last_name not in sent.body
    assert AuditEvent.objects.filter(action="prescriptions.expiry_notice.queued").count() == 1


def test_the_expiry_notice_job_is_scheduled(settings: Any) -> None:
    assert "lmn.prescriptions.jobs.expiry_notices" in settings.LMN_SCHEDULED_JOBS


def test_work_lists_are_empty_for_someone_without_a_unit(world: World) -> None:
    nobody = Actor.system("test")
    assert worklists.expiring(nobody) == [] and worklists.overdue(nobody) == []
