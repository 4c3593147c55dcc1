"""Assortment change impact: the active prescriptions of an article that ends or is
replaced, per unit, with the replacement; each unit's list sent by e-mail to verified
prescriber addresses without patient data; and which prescriptions have changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lmn.accounts.models import User
from lmn.audit.models import AuditEvent
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.notifications.models import Notification
from lmn.prescriptions.services import end_by_system
from lmn.reporting.models import ImpactEntry
from lmn.reporting.queries.impact import impact_for_unit, impact_of
from lmn.reporting.services import send_impact_lists
from lmn.testing import factories as f
from lmn.testing.types import World

LINK = "https://lmn.example.se/sortimentsbyte/"
SYSTEM = Actor.system("test")  # ends a prescription as a change would


def verified(user: Any) -> None:
    User.objects.filter(pk=user.pk).update(
        email_verified_at=clock.now(), email_verified_address=user.email
    )


@pytest.fixture
def change(world: World) -> dict[str, Any]:
    """Article X ends in a month and is replaced by Y. Unit A has two active
    prescriptions of X and an ended one; unit B one; a third unit none."""
    x = f.make_product("diabetes", name="Lansett Gammal")
    y = f.make_product("diabetes", name="Lansett Ny")
    second = f.make_patient(f.PERSONNUMMER[3], first_name="Berit", last_name="Bengtsson")
    a1 = f.make_prescription(
        patient=world.patient, product=x, prescriber=world.prescriber, unit=world.unit
    )
    a2 = f.make_prescription(
        patient=second, product=x, prescriber=world.prescriber, unit=world.unit
    )
    old = f.make_prescription(
        patient=f.make_patient(f.PERSONNUMMER[4]),
        product=x,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    end_by_system(old, reason="test", actor=SYSTEM)
    b1 = f.make_prescription(
        patient=world.patient, product=x, prescriber=world.outsider, unit=world.other_unit
    )
    x.end_date = clock.today() + dt.timedelta(days=30)
    x.replaced_by = y
    x.save()
    verified(world.prescriber)
    verified(world.outsider)  # the doctor of unit A has not verified: gets nothing (CON-3)
    return {"x": x, "y": y, "a1": a1, "a2": a2, "old": old, "b1": b1, "admin": f.make_admin()}


def test_the_impact_lists_active_prescriptions_per_unit(world: World, change: Any) -> None:
    impact = impact_of(change["x"].pk)

    assert impact.product.replaced_by == change["y"]
    assert [(u.unit.customer_number, u.to_change, u.notified) for u in impact.units] == [
        ("602154", 2, 0),  # the ended prescription is not listed
        ("604500", 1, 0),
    ]
    assert impact.to_change == 3


@pytest.mark.rule("CON-4")
def test_each_unit_is_sent_its_list_without_patient_data(world: World, change: Any) -> None:
    notices = send_impact_lists(change["x"].pk, actor=f.actor_of(change["admin"]), link=LINK)

    assert [(n.unit.customer_number, n.recipients) for n in notices] == [
        ("602154", 1),
        ("604500", 1),
    ]
    assert set(
        ImpactEntry.objects.filter(notice=notices[0]).values_list("prescription", flat=True)
    ) == {change["a1"].pk, change["a2"].pk}
    mails = Notification.objects.filter(channel="email", object_type="reporting.impactnotice")
    assert sorted(m.recipient for m in mails) == sorted(
        [world.prescriber.email, world.outsider.email]
    )
    for mail in mails:
        assert LINK in mail.body and change["y"].name in mail.body
        for secret in ("Bengtsson", "Berit", world.patient.last_name, world.patient.identifier):
            assert secret not in mail.body and secret not in mail.subject
        assert mail.patient_id is None
    assert AuditEvent.objects.filter(action="reporting.impact.sent").count() == 2


def test_a_changed_prescription_is_tracked(world: World, change: Any) -> None:
    send_impact_lists(change["x"].pk, actor=f.actor_of(change["admin"]), link=LINK)
    end_by_system(change["a1"], reason="bytt artikel", actor=SYSTEM)

    unit_a = impact_of(change["x"].pk).units[0]
    assert (unit_a.to_change, unit_a.notified, unit_a.changed) == (1, 2, 1)

    own = impact_for_unit(f.actor_of(world.prescriber))
    assert [a.product for a in own] == [change["x"]]
    listed = {r.prescription.pk: r.changed for r in own[0].prescriptions}
    assert listed == {change["a1"].pk: True, change["a2"].pk: False}  # B's not shown
    read = AuditEvent.objects.filter(action="reporting.impact.read")
    assert read.count() == 2  # one per patient shown


def test_only_administration_sends_and_only_what_has_changed(world: World, change: Any) -> None:
    with pytest.raises(PermissionDenied):
        send_impact_lists(change["x"].pk, actor=f.actor_of(world.prescriber), link=LINK)
    with pytest.raises(NotFound):
        send_impact_lists(change["y"].pk, actor=f.actor_of(change["admin"]), link=LINK)
    for key in ("a1", "a2", "b1"):
        end_by_system(change[key], reason="bytt", actor=SYSTEM)
    with pytest.raises(DomainError) as refused:
        send_impact_lists(change["x"].pk, actor=f.actor_of(change["admin"]), link=LINK)
    assert refused.value.code == "nothing_to_send"
    assert not Notification.objects.filter(object_type="reporting.impactnotice").exists()
