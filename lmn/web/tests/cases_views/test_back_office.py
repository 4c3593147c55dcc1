"""Customer service's back office: returning, deciding and converting cases, follow-ups."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.cases.models import Case, ContactLog, FollowUp
from lmn.cases.services import approve_case, return_case
from lmn.notifications.services import send_pending
from lmn.patients.models import Patient
from lmn.prescriptions.models import Prescription
from lmn.testing import factories as f
from lmn.testing.types import World

from .helpers import _asylum_post, _html, _ooa_follow_up, act_in


@pytest.mark.rule("OOA-2", "CON-4")
def test_return_for_completion_needs_a_reason_then_prescriber_sees_it_and_completes(
    logged_in: Any,
    world: World,
    asylum_unit: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    agent = logged_in(world.customer_service)
    queue = _html(agent.get(reverse("web:backoffice")))
    assert case.reference in queue and "Asylsökande" in queue
    assert case.reference not in _html(
        agent.get(reverse("web:backoffice") + "?typ=protected_identity")
    )
    # no reason: refused on the field, nothing changes
    r = agent.post(
        reverse("web:decide_case", args=[case.pk]), {"decision": "return", "reason": " "}
    )
    assert "Ange vad som saknas" in _html(r)
    assert Case.objects.get().status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        r = agent.post(
            reverse("web:decide_case", args=[case.pk]),
            {"decision": "return", "reason": "LMA-kortets baksida saknas."},
        )
    assert r.status_code == 302
    send_pending()
    assert any(case.reference in m.subject for m in mail.outbox)
    client = logged_in(world.prescriber)
    page = _html(client.get(reverse("web:case", args=[case.pk])))
    assert "LMA-kortets baksida saknas." in page
    form = _html(client.get(reverse("web:complete_case", args=[case.pk])))
    assert "LMA-kortets baksida saknas." in form and 'value="Amina"' in form
    r = client.post(
        reverse("web:complete_case", args=[case.pk]),
        _asylum_post(product=world.diabetes_product.article_number),
    )
    assert r.status_code == 302
    assert Case.objects.get().status == "resubmitted"


@pytest.mark.rule("ASYL-4", "ASYL-5")
def test_approving_registers_the_patient_and_prescribes_on_601628(
    logged_in: Any, world: World, asylum_unit: Any
) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    r = logged_in(world.customer_service).post(
        reverse("web:decide_case", args=[case.pk]), {"decision": "approve"}
    )
    assert r.status_code == 302
    rx = Prescription.objects.get()
    assert rx.unit.customer_number == "601628"
    assert Patient.objects.get(identifier="50008920").identity_kind == "lma"


def test_deciding_an_already_decided_case_is_refused(
    logged_in: Any, world: World, asylum_unit: Any, agent_actor: Any
) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    return_case(case, reason="Saknas", actor=agent_actor)
    r = logged_in(world.customer_service).post(
        reverse("web:decide_case", args=[case.pk]), {"decision": "reject", "reason": "Nej"}
    )
    assert r.status_code == 200
    assert "redan beslutat" in _html(r) or "kan inte ändras" in _html(r)
    assert Case.objects.get().status == "returned_for_completion"


@pytest.mark.rule("ASYL-7")
def test_conversion_page_moves_history_to_the_personnummer(
    logged_in: Any, world: World, asylum_unit: Any, agent_actor: Any
) -> None:
    case = f.make_case(
        "asylum", user=world.prescriber, unit=world.unit, product=world.diabetes_product
    )
    approve_case(case, actor=agent_actor)
    lma = Patient.objects.get(identifier="50008920")
    agent = logged_in(world.customer_service)
    assert "Konvertera" in _html(agent.get(reverse("web:patient", args=[lma.pk])))
    r = agent.post(
        reverse("web:conversion", args=[lma.pk]), {"kind": "personnummer", "identifier": "x"}
    )
    assert "personnummer" in _html(r).lower() and "nhsuk-error-summary" in _html(r)
    r = agent.post(
        reverse("web:conversion", args=[lma.pk]),
        {
            "kind": "personnummer",
            "identifier": f.PERSONNUMMER[4],
            "first_name": "Amina",
            "last_name": "Yusuf",
        },
    )
    new = Patient.objects.get(identifier=f.PERSONNUMMER[4])
    assert r["Location"] == reverse("web:patient", args=[new.pk])
    assert Prescription.objects.get().patient == new
    # the old LMA number finds the new record (the prescriber now also has 601628)
    client = logged_in(world.prescriber)
    act_in(client, world.prescriber, world.unit)
    r = client.post(reverse("web:home"), {"identifier": "50-008920"})
    assert r["Location"] == reverse("web:patient", args=[new.pk])


@pytest.mark.rule("OOA-3")
def test_follow_up_list_and_logging_contacts(logged_in: Any, world: World) -> None:
    follow_up = _ooa_follow_up(world)
    agent = logged_in(world.customer_service)
    html = _html(agent.get(reverse("web:follow_ups")))
    assert follow_up.withdrawal.number in html
    prefix = f"f{follow_up.pk}"
    r = agent.post(
        reverse("web:log_contact", args=[follow_up.pk]),
        {f"{prefix}-party": "nobody", f"{prefix}-channel": "phone"},
    )
    assert r.status_code == 200 and "nhsuk-error-summary" in _html(r)
    assert ContactLog.objects.count() == 0
    for party in ("prescriber", "patient"):
        r = agent.post(
            reverse("web:log_contact", args=[follow_up.pk]),
            {f"{prefix}-party": party, f"{prefix}-channel": "phone", f"{prefix}-note": "Ok"},
        )
        assert r.status_code == 302
    assert FollowUp.objects.get().closed_at is not None
    assert agent.post(reverse("web:log_contact", args=[follow_up.pk]), {}).status_code == 404
