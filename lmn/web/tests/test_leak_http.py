"""SKYDD-1 over HTTP: a unique marker planted in a protected patient's name and address
is found nowhere that users outside the unit can reach — pages, API answers, PDFs,
e-mails and log lines — while inside the unit it is found (so the scan is not empty)."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.accounts.models import Membership
from lmn.accounts.services import issue_token
from lmn.cases.services import approve_case
from lmn.notifications.services import send_pending
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.web.tests.cases_views.helpers import _protected_withdrawal, verified

MARKER = "ZQXHTTPLEAK42"


def _body(response: Any) -> str:
    content = response.content if hasattr(response, "content") else b""
    if response.get("Content-Type", "").startswith("application/pdf"):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(io.BytesIO(content))
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    return content.decode(errors="replace")


def _api(user: Any, unit: Any) -> Client:
    key, _ = issue_token(Membership.objects.get(user=user, unit=unit, active=True))
    return Client(headers={"Authorization": f"Bearer {key}"})


def _web(user: Any) -> Client:
    verified(user)
    client = Client()
    client.force_login(user)
    return client


def _requests(secret: Any, w: Any, rx: Any, case: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("web", f"/patienter/{secret.pk}/", {}),
        ("web", f"/patienter/{secret.pk}/forskrivning/ny/", {}),
        ("web", f"/patienter/{secret.pk}/uttag/ny/", {}),
        ("web", f"/uttag/{w.number}/", {}),
        ("web", f"/arenden/{case.pk}/", {}),
        ("web", f"/kundtjanst/arenden/{case.pk}/", {}),
        ("web", "/kundtjanst/", {}),
        ("web", "/kundtjanst/uppfoljningar/", {}),
        ("web", f"/kundtjanst/patienter/{secret.pk}/konvertering/", {}),
        ("web", f"/min-sida/?number={w.number}", {}),
        ("web", "/min-sida/", {}),
        ("web", f"/arenden/nytt/out_of_assortment/?patient={secret.pk}", {}),
        ("web-post", "/", {"identifier": secret.identifier}),
        ("web-post", "/", {"identifier": "602154"}),
        ("web-post", "/patienter/sok/", {"name": "Eva Hemlig", "birth_date": "19451224"}),
        ("api", "/api/v1/patients", {"identifier": secret.identifier}),
        ("api", "/api/v1/patients", {"identifier": "602154"}),
        ("api", "/api/v1/patients/search", {"name": "Eva", "birth_date": "1945-12-24"}),
        ("api", f"/api/v1/patients/{secret.pk}", {}),
        ("api", f"/api/v1/prescriptions/{rx.pk}", {}),
        ("api", f"/api/v1/withdrawals/{w.number}", {}),
        ("api", f"/api/v1/withdrawals/{w.number}/label.pdf", {}),
        ("api", f"/api/v1/cases/{case.pk}", {}),
        ("api", "/api/v1/cases", {}),
        ("api", "/api/v1/follow-ups", {}),
    ]


def _scan(web: Client, api: Client, secret: Any, w: Any, rx: Any, case: Any) -> str:
    seen = []
    for channel, url, data in _requests(secret, w, rx, case):
        if channel == "web":
            r = web.get(url)
        elif channel == "web-post":
            r = web.post(url, data)
        else:
            r = api.get(url, data)
        assert r.status_code < 500, (url, r.status_code)
        seen.append(_body(r))
    return "\n".join(seen)


@pytest.mark.rule("SKYDD-1")
@pytest.mark.rule("SKYDD-7")
@pytest.mark.rule("SKYDD-9")
def test_protected_patient_leaks_nowhere_over_http(
    world: World,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        secret = f.make_patient(
            f.PERSONNUMMER[1],
            first_name=f"Eva{MARKER}",
            last_name=f"Hemlig{MARKER}",
            street=f"{MARKER}vägen 3",
            protected=True,
            protected_unit=world.unit,
        )
        w = _protected_withdrawal(world, secret)
        rx = w.lines.get().prescription
        ooa = f.make_product("incontinence", name="Specialskydd", procured=False, stocked=False)
        case = f.make_case(
            "out_of_assortment",
            user=world.prescriber,
            unit=world.unit,
            product=ooa,
            patient=secret,
        )
    outside = [
        (_web(world.outsider), _api(world.outsider, world.other_unit)),
        (_web(world.customer_service), _api(world.customer_service, None)),
    ]
    mail.outbox.clear()
    caplog.clear()
    with django_capture_on_commit_callbacks(execute=True):
        text = "\n".join(_scan(web, api, secret, w, rx, case) for web, api in outside)
        # customer service decides the case: the e-mail goes to the prescriber
        try:
            approve_case(case, actor=world.actor(world.customer_service))
        except Exception:
            pass
    send_pending()
    text += "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)
    text += "\n".join(r.getMessage() for r in caplog.records)
    assert MARKER not in text

    # inside the unit the same scan finds the marker: the scan really looks
    inside = _scan(_web(world.prescriber), _api(world.prescriber, world.unit), secret, w, rx, case)
    assert MARKER in inside
