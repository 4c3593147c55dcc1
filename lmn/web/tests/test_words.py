"""What users read holds no internal words: no rule IDs, no English codes, right plurals.

Every portal page of the authorization table is opened by every role that may open it
(and the form pages are sent empty, to show their errors); the text a user reads or hears
(page text and the labels screen readers announce) must not contain a rule ID from
RULES.md nor an English status, period or choice code. Pages that refuse or do not exist
answer in Swedish too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from lmn.cases.states import CaseStatus
from lmn.catalog.units import quantity_text
from lmn.core.authorization import STAFF
from lmn.core.states import ApplicationStatus
from lmn.prescriptions.models import ConsumptionPeriod
from lmn.prescriptions.states import PrescriptionStatus
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World
from lmn.web.tests.axe_support import Data
from lmn.web.tests.test_every_page_axe import PAGES, Page, page_params, url_for
from lmn.web.tests.test_special_states_axe import EMPTY_FORMS
from lmn.web.urls import POLICIES as POLICY
from lmn.withdrawals.states import WithdrawalStatus

pytestmark = pytest.mark.django_db

# the prefixes of the rule IDs in RULES.md
RULE_PREFIXES = (
    "ACC AKUT ASYL CH CON EPAT EXPR GEN INV OOA OUT PAT PDL PICK RX SAM SKYDD UNIT UT".split()
)
RULE_ID = re.compile(r"\b(?:" + "|".join(RULE_PREFIXES) + r")-\d+\b")
ENGLISH = sorted(
    {
        *(
            c.value
            for choices in (CaseStatus, WithdrawalStatus, PrescriptionStatus, ApplicationStatus)
            for c in choices
        ),
        *(f"per {c.value}" for c in ConsumptionPeriod),
        "Not Found",
        "Forbidden",
        "Bad Request",
        "Server Error",
        "pickup_point",
        "tube_feeding",
        "incontinence",
        "emergency",
    },
    key=len,
    reverse=True,
)
ENGLISH_WORD = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")
SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class _Text(HTMLParser):
    """The text a user reads or hears: page text and announced attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in SPOKEN_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def readable_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def internal_words(text: str) -> list[str]:
    return sorted(set(RULE_ID.findall(text)) | set(ENGLISH_WORD.findall(text)))


def _roles_for(route: str) -> list[str | None]:
    spec = PAGES.get(route, Page())
    if spec.anonymous or POLICY[route].public:
        return [None]
    return [r for r in sorted(STAFF) if POLICY[route].allows(r, "GET")]


def _client(data: Data, role: str | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(data.user_of(role))
    return client


def _read(response: Any) -> str:
    return readable_text(response.content.decode()) if response.content else ""


@pytest.mark.parametrize(("route", "kind"), page_params())
def test_no_page_shows_a_rule_id_or_an_english_code(
    route: Any,
    kind: Any,
    world: World,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    data = Data(world)
    spec = PAGES.get(route, Page())
    with django_capture_on_commit_callbacks(execute=True):  # e-mails are sent on commit
        if spec.setup is not None:
            spec.setup(data)
        if route == "e-post/verifiera/":  # the e-mailed link needs the CON-3 gate on
            url = "/e-post/verifiera/?token=forvanskad"
        else:
            url = url_for(route, kind, data)
    found: dict[str, list[str]] = {}
    for role in _roles_for(route):
        response = _client(data, role).get(url, follow=True)
        words = internal_words(_read(response))
        if words:
            found[f"{role or 'anonymous'} GET {url} ({response.status_code})"] = words
    assert found == {}, f"internal words in what users read: {found}"


@pytest.mark.parametrize(
    ("route", "kind"), [pytest.param(r, k, id=f"/{r}[{k}]") for r, k, _ in EMPTY_FORMS]
)
def test_no_form_error_shows_a_rule_id_or_an_english_code(
    route: Any, kind: Any, world: World
) -> None:
    data = Data(world)
    spec = PAGES.get(route, Page())
    if spec.setup is not None:
        spec.setup(data)
    url = url_for(route, kind, data)
    roles = _roles_for(route)
    response = _client(data, roles[0]).post(url, {}, follow=True)
    assert internal_words(_read(response)) == [], url


def test_the_pickup_summary_says_what_to_bring_without_rule_ids(
    client_for: ClientFor, world: World
) -> None:
    """The summary's notices (pickup, entry phone, left outside) are plain words."""
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    point = f.make_pickup_point()
    response = client_for(world.prescriber).post(
        reverse("web:withdrawal_preview", args=[world.patient.pk]),
        {
            f"qty_{rx.pk}": "5",
            "destination": "pickup_point",
            "pickup_point_id": point.code,
            "notify_by": "sms",
            "phone": "070-123 45 67",
            "speed": "standard",
            "idempotency_key": "7d0a4a3e-1f5b-4c4e-9a51-2f7a0e3c9b10",
        },
    )
    text = _read(response)
    assert "fyrsiffriga koden i aviseringen" in text, text
    assert internal_words(text) == []


def test_a_missing_page_answers_in_swedish(client_for: ClientFor, world: World) -> None:
    response = client_for(world.prescriber).get("/finns-inte/")
    assert response.status_code == 404
    text = _read(response)
    assert "Sidan finns inte" in text
    assert internal_words(text) == []


def test_a_missing_page_answers_in_swedish_without_login(client: Client) -> None:
    response = client.get("/uttag/finns/inte/alls/")
    assert response.status_code == 404
    assert "Sidan finns inte" in _read(response)


def test_a_server_error_answers_in_swedish(client_for: ClientFor, world: World) -> None:
    from django.template.loader import render_to_string

    text = readable_text(render_to_string("500.html"))
    assert "Tekniskt fel" in text and "Hjälp och kontakt" in text


def test_a_bad_request_and_a_refusal_answer_in_swedish(rf: RequestFactory) -> None:
    from django.views import defaults

    request = rf.get("/")
    assert "Felaktig förfrågan" in _read(defaults.bad_request(request, Exception()))
    assert "Du saknar behörighet" in _read(defaults.permission_denied(request, Exception()))


@pytest.mark.parametrize(
    ("quantity", "unit", "text"),
    [
        (1, "flaska", "1 flaska"),
        (180, "flaska", "180 flaskor"),
        (0, "flaska", "0 flaskor"),
        (1, "st", "1 st"),
        (50, "st", "50 st"),
        (2, "förp", "2 förp"),
        (3, "påse", "3 påsar"),
    ],
)
def test_an_amount_takes_the_plural_of_its_unit(quantity: Any, unit: Any, text: Any) -> None:
    assert quantity_text(quantity, unit) == text


def test_the_patient_page_says_flaskor_for_many_bottles(
    client_for: ClientFor, world: World
) -> None:
    f.make_prescription(
        patient=world.patient,
        product=world.nutrition_product,
        prescriber=world.dietitian,
        unit=world.unit,
        amount=2,
    )
    text = _read(client_for(world.dietitian).get(reverse("web:patient", args=[world.patient.pk])))
    assert "2 flaskor" in text
    assert "2 flaska " not in text + " "
    assert "per dag" in text or "per vecka" in text or "per månad" in text


def test_a_case_history_shows_statuses_in_swedish(client_for: ClientFor, world: World) -> None:
    case = Data(world).returned_case
    text = _read(client_for(world.prescriber).get(reverse("web:case", args=[case.pk])))
    assert "Åter för komplettering" in text and "Inskickat" in text
    assert internal_words(text) == []


def test_an_unknown_api_path_answers_in_the_apis_error_shape(client: Client) -> None:
    response = client.get("/api/v1/finns-inte")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"code": "not_found", "field": None, "message": "Hittades inte."}]
    }


def test_a_stale_form_answers_in_swedish(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = _read(response)
    assert "Formuläret kunde inte skickas" in text
    assert internal_words(text) == []
