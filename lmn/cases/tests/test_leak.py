"""SKYDD-1 leak test: outside the unit a protected patient is indistinguishable from one
that does not exist. A unique marker is planted in the patient's data; every domain read
that a user outside the unit can trigger is driven, and everything it produces —
results, error messages, labels, notifications, e-mails and application log lines — is
scanned for the marker. (Audit rows may name the patient: auditors are allowed to see.)
The HTTP adapters are to be added to this scan when they exist."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.cases.jobs import run_case_jobs
from lmn.cases.services import approve_case, cases_visible_to, work_queue
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, NotFound
from lmn.delivery.details import DeliveryRequest
from lmn.notifications.models import Notification
from lmn.patients.queries import patients_visible_to
from lmn.patients.services import (
    find_patient_by_identifier,
    get_patient,
    search_by_name_and_birth_date,
)
from lmn.prescriptions.queries import prescriptions_visible_to
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.withdrawals.jobs import run_due_jobs
from lmn.withdrawals.labels import label_context, label_html
from lmn.withdrawals.protected import protected_rows, protected_withdrawals_of_unit
from lmn.withdrawals.queries import withdrawals_visible_to
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_delivered, mark_picked, mark_shipped

MARKER = "ZQXLEAK7731"
BIRTH = dt.date(1945, 12, 24)


def _text(value: Any) -> str:
    """Everything a value shows: its repr, and the fields of model instances."""
    parts = [repr(value), str(value)]
    for item in value if isinstance(value, list | tuple | set) else [value]:
        if hasattr(item, "__dict__"):
            parts.append(repr(vars(item)))
    return "\n".join(parts)


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-6")
@pytest.mark.rule("SKYDD-9")
def test_a_protected_patient_leaks_nowhere_outside_the_unit(
    world: World,
    agent: Any,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    distributor = Actor(role=Role.DISTRIBUTOR, hsa_id="distributor:test")

    with django_capture_on_commit_callbacks(execute=True):
        # given a protected person with history inside world.unit ...
        secret = f.make_patient(
            f.PERSONNUMMER[1],
            first_name=f"Eva{MARKER}",
            last_name=f"Hemlig{MARKER}",
            street=f"{MARKER}vägen 3",
            protected=True,
            protected_unit=world.unit,
        )
        rx = f.make_prescription(
            patient=secret,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=world.unit,
        )
        w = place_withdrawal(
            WithdrawalDraft(
                patient=secret,
                lines=[LineDraft(rx.pk, 10)],
                delivery=DeliveryRequest(destination="unit", care_of="Syster Berg"),
            ),
            actor=world.actor(world.prescriber),
        )[0]
        # ... a register-locked one with history from before (SKYDD-7) ...
        locked = f.make_patient(
            f.PERSONNUMMER[2],
            first_name=f"Kim{MARKER}",
            last_name=MARKER,
            street=f"{MARKER}gatan 1",
        )
        f.make_prescription(
            patient=locked,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=world.unit,
        )
        f.register_person(locked.identifier, protected=True)
        # ... and a protected-identity case approved for the unit
        case = f.make_case(
            "protected_identity",
            user=world.prescriber,
            unit=world.unit,
            product=world.diabetes_product,
        )
        approve_case(case, actor=agent)
        mail.outbox.clear()
        Notification.objects.all().delete()
        caplog.clear()

        # when everyone outside the unit reads what they can
        outsiders = [
            world.actor(world.outsider),
            agent,
            world.actor(world.orderer),
            Actor.system("leak-test"),
            distributor,
        ]
        run_case_jobs()  # the register sync locks `locked`
        run_due_jobs()
        for actor in outsiders:
            for typed in (secret.identifier, locked.identifier, "19451224-2498"):
                seen.append(_text(find_patient_by_identifier(typed, actor=actor)))
            for name in (MARKER, f"Eva{MARKER}", f"Hemlig{MARKER}", "Eva"):
                seen.append(_text(search_by_name_and_birth_date(name, BIRTH, actor=actor)))
            for pk in (secret.pk, locked.pk):
                with pytest.raises(NotFound) as missing:
                    get_patient(pk, actor=actor)
                seen.append(repr(missing.value))
            seen.append(_text(list(patients_visible_to(actor))))
            seen.append(_text(list(prescriptions_visible_to(actor))))
            seen.append(_text(list(withdrawals_visible_to(actor))))
            seen.append(_text(list(withdrawals_visible_to(actor).filter(number=w.number))))
            for number in ("602154", "604500", "603001"):
                found = protected_withdrawals_of_unit(number, actor=actor)
                assert found == []
                seen.append(_text(protected_rows(found)))
            seen.append(_text(list(cases_visible_to(actor))))
        seen.append(_text(work_queue(actor=agent)))
        # the distributor prints the label and ships the parcel
        seen.append(label_html(w))
        seen.append(repr(label_context(w)))
        mark_picked(w, actor=distributor)
        mark_shipped(w, actor=distributor)
        mark_delivered(w, actor=distributor)
        # a refused attempt says nothing either
        try:
            protected_withdrawals_of_unit("60215x", actor=world.actor(world.outsider))
        except DomainError as error:
            seen.append(repr(error.problems))

    # then the marker is nowhere
    seen += [f"{n.recipient}\n{n.subject}\n{n.body}" for n in Notification.objects.all()]
    seen += [f"{m.to}\n{m.subject}\n{m.body}" for m in mail.outbox]
    seen += [
        f"{r.name} {r.getMessage()} {r.args!r} {getattr(r, 'exc_text', '')}" for r in caplog.records
    ]
    hits = [text for text in seen if MARKER in text]
    assert hits == []
    assert len(seen) > 80  # the scan did cover something
    # and inside the unit the patient is there, so the scan was not vacuous
    inside = world.actor(world.prescriber)
    assert MARKER in find_patient_by_identifier(secret.identifier, actor=inside).name
    assert protected_withdrawals_of_unit("602154", actor=inside)[0] == w
