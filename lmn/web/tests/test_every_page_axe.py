"""Every portal page, in Debian's Chromium, passes axe at WCAG 2.1 AA with 0 violations.

The pages are the routes of the authorization table (lmn/core/authorization.py) that are
not the REST API and not a PDF. Each is opened, with real data behind it, by a user of a
role the table allows (logged in by a Django session copied into the browser): the
answer must be 200 with an <h1>, axe must find nothing and the console must stay clean
(no script or Content Security Policy error). A page that only accepts POST (GET
answers 405) is skipped: the form page that posts to it is checked, also with its errors.

A route added later without a way to build its URL here fails with a message saying
what to add, rather than being skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.test import Client
from playwright.sync_api import Page as PwPage
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from lmn.accounts.applications import AccessApplicationDraft, submit_access_application
from lmn.accounts.contact import send_email_verification
from lmn.accounts.models import User
from lmn.cases.followups import flag_out_of_assortment_deliveries
from lmn.cases.models import FollowUp
from lmn.cases.register_sync import sync_register
from lmn.cases.services import return_case
from lmn.cases.states import CaseKind
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.authorization import POLICY
from lmn.delivery.details import DeliveryRequest
from lmn.organisations.services import UnitApplicationDraft, submit_unit_application
from lmn.patients.models import Patient
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.web.access_forms import ACCESS_KIND_SLUGS
from lmn.web.case_forms import PATIENT_KINDS, PATIENT_OPTIONAL_KINDS
from lmn.withdrawals.changes import change_delivery
from lmn.withdrawals.joint import JointOrderDraft, ResidentLines, place_joint_order
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal
from lmn.withdrawals.shipping import mark_arrived, mark_picked, mark_shipped

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
NEW_HSA = "SE2321000131-E000000888"
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


# --- the data behind the pages ----------------------------------------------------------


class Data:
    """Everything a page may show, built on first use so each test makes only its own."""

    def __init__(self, world: Any) -> None:
        self.world = world
        world.ward.delivery_place = "Godsmottagningen, entréplan"
        world.ward.save(update_fields=["delivery_place"])

    # users, by the role the page is opened as
    @cached_property
    def distributor(self) -> Any:
        return f.make_user("distributor", unit=None, role=Role.DISTRIBUTOR)

    @cached_property
    def head(self) -> Any:
        return f.make_head(self.world.ward, "avdelningschef")

    @cached_property
    def admin(self) -> Any:
        return f.make_admin("lmnadmin")

    @cached_property
    def auditor(self) -> Any:
        return f.make_user("granskare", unit=None, role=Role.AUDITOR, areas=[])

    def user_of(self, role: str) -> Any:
        w = self.world
        return {
            Role.PRESCRIBER: w.prescriber,
            Role.DOCTOR: w.doctor,
            Role.ORDERER: w.orderer,
            Role.CUSTOMER_SERVICE: w.customer_service,
            Role.DISTRIBUTOR: self.distributor,
            Role.HEAD_OF_UNIT: self.head,
            Role.ADMIN: self.admin,
            Role.AUDITOR: self.auditor,
        }[role]

    # a patient with a prescription and a withdrawal
    @cached_property
    def prescription(self) -> Any:
        w = self.world
        return f.make_prescription(
            patient=w.patient, product=w.diabetes_product, prescriber=w.prescriber, unit=w.unit
        )

    def _place(self, delivery: DeliveryRequest, quantity: int = 10) -> Withdrawal:
        withdrawal, _ = place_withdrawal(
            WithdrawalDraft(
                patient=self.world.patient,
                lines=[LineDraft(self.prescription.pk, quantity)],
                delivery=delivery,
            ),
            actor=self.world.actor(self.world.prescriber),
        )
        return withdrawal

    @cached_property
    def withdrawal(self) -> Withdrawal:
        return self._place(DeliveryRequest(care_of="Anna Andersson", phone="070-123 45 67"))

    @cached_property
    def changed_withdrawal(self) -> Withdrawal:
        """The withdrawal with its delivery details changed once (a second timeline step)."""
        withdrawal, _ = change_delivery(
            self.withdrawal,
            DeliveryRequest(care_of="Anna Andersson", phone="070-123 45 67", door_code="4711"),
            actor=self.world.actor(self.world.doctor),
        )
        return withdrawal

    @cached_property
    def pickup_withdrawal(self) -> Withdrawal:
        """Arrived at a pickup point: the parcel the distributor registers as collected."""
        point = f.make_pickup_point()
        withdrawal = self._place(
            DeliveryRequest(
                destination="pickup_point",
                pickup_point_id=point.code,
                phone="070-123 45 67",
                notify_by="sms",
            ),
            quantity=5,
        )
        actor = f.actor_of(self.distributor)
        for step in (mark_picked, mark_shipped, mark_arrived):
            withdrawal = step(withdrawal, actor=actor)
        return withdrawal

    # cases (CH-1)
    @cached_property
    def ooa_product(self) -> Any:
        return f.make_product("incontinence", name="Specialskydd XL", procured=False, stocked=False)

    def make_case(self, kind: str, **overrides: Any) -> Any:
        w = self.world
        product = self.ooa_product if kind == CaseKind.OUT_OF_ASSORTMENT else w.diabetes_product
        if kind in PATIENT_KINDS:
            overrides.setdefault("patient", w.patient)
        return f.make_case(kind, user=w.prescriber, unit=w.unit, product=product, **overrides)

    @cached_property
    def open_case(self) -> Any:
        return self.make_case(CaseKind.ASYLUM)

    @cached_property
    def returned_case(self) -> Any:
        case = self.make_case(CaseKind.OUT_OF_ASSORTMENT)
        return return_case(
            case,
            reason="Ange vilken storlek som behövs.",
            actor=f.actor_of(self.world.customer_service),
        )

    @cached_property
    def lma_patient(self) -> Patient:
        """An asylum seeker registered with an LMA number, to convert (ASYL-7)."""
        return Patient.objects.create(
            identifier="50008920",
            identity_kind="lma",
            first_name="Amina",
            last_name="Yusuf",
            birth_date=dt.date(1990, 5, 1),
            street="",
            postcode="",
            city="",
            resident_region="VG",
        )

    @cached_property
    def follow_up(self) -> Any:
        """OOA-3: a withdrawal outside the assortment with a long delivery."""
        w = self.world
        rx = f.make_prescription(
            patient=w.patient, product=self.ooa_product, prescriber=w.prescriber, unit=w.unit
        )
        withdrawal, _ = place_withdrawal(
            WithdrawalDraft(
                patient=w.patient, lines=[LineDraft(rx.pk, 5)], delivery=DeliveryRequest()
            ),
            actor=w.actor(w.prescriber),
        )
        Withdrawal.objects.filter(pk=withdrawal.pk).update(
            promised_delivery_date=clock.today() + dt.timedelta(days=20)
        )
        [follow_up] = flag_out_of_assortment_deliveries()
        return follow_up

    @cached_property
    def held_follow_up(self) -> Any:
        """SKYDD-7, SKYDD-5: a withdrawal held because the register newly protects the
        patient, waiting for the unit's decision."""
        w = self.world
        self.withdrawal
        f.register_person(w.patient.identifier, protected=True)
        sync_register(actor=Actor.system("register-sync"))
        return FollowUp.objects.filter(kind=FollowUp.Kind.PROTECTED_HOLD).first()

    # issue 5: applications and the ward
    @cached_property
    def access_application(self) -> Any:
        return submit_access_application(
            AccessApplicationDraft(
                kind="grant",
                subject_hsa_id=NEW_HSA,
                units=[self.world.ward],
                role=Role.ORDERER,
                area_codes=["diabetes", "incontinence"],
                joint_ordering=True,
                first_name="Nina",
                last_name="Nyström",
                email="nina@example.se",
            ),
            actor=f.actor_of(self.head, self.world.ward),
        )

    @cached_property
    def unit_application(self) -> Any:
        return submit_unit_application(
            UnitApplicationDraft(
                name="Vårdcentralen Nya Hjärtat",
                kind="health_centre",
                street="Nygatan 3",
                postcode="413 46",
                city="Göteborg",
                payers=f.payer_drafts(),
                phone="031-123 45 67",
            ),
            actor=f.actor_of(self.head, self.world.ward),
        )

    @cached_property
    def residents(self) -> list[tuple[Patient, Any]]:
        w = self.world
        out = []
        names = [("Anna", "Andersson"), ("Bertil", "Berg")]
        for pnr, (first, last) in zip(f.PERSONNUMMER[1:3], names, strict=True):
            patient = f.make_resident(w.ward, pnr, first_name=first, last_name=last)
            rx = f.make_prescription(
                patient=patient,
                product=w.diabetes_product,
                prescriber=w.prescriber,
                unit=w.unit,
                amount=2,
            )
            out.append((patient, rx))
        # nutrition is ordered on its own (SAM-4): the ward page says so
        f.make_prescription(
            patient=out[0][0],
            product=w.nutrition_product,
            prescriber=w.dietitian,
            unit=w.unit,
        )
        return out

    @cached_property
    def joint_order(self) -> Any:
        w = self.world
        return place_joint_order(
            JointOrderDraft(
                ward=w.ward,
                residents=[ResidentLines(p, [LineDraft(rx.pk, 10)]) for p, rx in self.residents],
                contact_person="Eva Ansvarig",
                phone="031-123 45 67",
            ),
            actor=f.actor_of(w.orderer, w.ward),
        )

    def verification_link(self) -> str:
        """The link in the CON-3 e-mail, as the prescriber gets it."""
        w = self.world
        mail.outbox = []
        send_email_verification(
            w.prescriber,
            actor=w.actor(w.prescriber),
            link_base="http://testserver/e-post/verifiera/",
        )
        [message] = mail.outbox
        found = re.search(r"\?token=(\S+)", str(message.body))
        assert found is not None, message.body
        return "?token=" + found.group(1)


# --- how each page is opened ------------------------------------------------------------

# the role a page is opened as, by the start of its route; else the first allowed in PREFER
ROLE_BY_PREFIX = {
    "distributor/": Role.DISTRIBUTOR,
    "kundtjanst/": Role.CUSTOMER_SERVICE,
    "administration/": Role.ADMIN,
    "ansokningar/": Role.HEAD_OF_UNIT,
    "avdelning/": Role.ORDERER,
    "sambestallning/": Role.ORDERER,
}
PREFER = [
    Role.PRESCRIBER,
    Role.DOCTOR,
    Role.ORDERER,
    Role.CUSTOMER_SERVICE,
    Role.HEAD_OF_UNIT,
    Role.ADMIN,
    Role.AUDITOR,
    Role.DISTRIBUTOR,
]

# URL parameters by name; a route can say otherwise in Page.params
PARAMS: dict[str, Callable[[Data], Any]] = {
    "patient_id": lambda d: d.world.patient.pk,
    "number": lambda d: d.withdrawal.number,
    "case_id": lambda d: d.open_case.pk,
    "follow_up_id": lambda d: d.follow_up.pk,
}

# the values of a <kind> parameter, as the views expect them
KINDS: dict[str, list[str]] = {
    "arenden/nytt/<str:kind>/": list(CaseKind.values),
    "ansokningar/behorighet/<str:kind>/": list(ACCESS_KIND_SLUGS),
}


@dataclass(frozen=True)
class Page:
    params: dict[str, Callable[[Data], Any]] = field(default_factory=dict)
    query: Callable[[Data, str], str] | None = None  # (data, kind) -> "?..."
    anonymous: bool = False
    unverified: bool = False  # the CON-3 page itself: only shown before verification
    setup: Callable[[Data], Any] | None = None  # what the page lists, made before opening
    host: str | None = None  # an htmx fragment: checked inside the page that loads it
    interact: Callable[[Any], None] | None = None  # in the host page, load the fragment


def _search_pickup(page: Any) -> None:
    page.get_by_role("radio", name="Utlämningsställe").check()
    page.get_by_label("Sök utlämningsställe").fill("413")
    expect(page.get_by_role("radio", name="ICA Nära Linné")).to_be_visible()


def _some_news(d: Data) -> None:
    """GEN-6: news of the prescriber's area and for every area, one read and one new."""
    from lmn.catalog.models import AssortmentNews

    for area, title, days_ago in (
        (f.area("diabetes"), "Nya testremsor på REK-listan", 1),
        (None, "Ändrade leveransdagar i juli", 9),
    ):
        AssortmentNews.objects.create(
            area=area,
            title=title,
            body="Gäller från den 1:a nästa månad.",
            published=clock.today() - dt.timedelta(days=days_ago),
        )


def _two_memberships(d: Data) -> None:
    f.add_membership(d.world.prescriber, unit=d.world.ward, role=Role.ORDERER)


PAGES: dict[str, Page] = {
    "": Page(setup=lambda d: (d.withdrawal, _some_news(d))),  # type: ignore[func-returns-value]
    "logga-in/": Page(anonymous=True),
    "valj-enhet/": Page(setup=_two_memberships),
    "patienter/<int:patient_id>/": Page(setup=lambda d: (d.withdrawal, d.returned_case)),
    "patienter/<int:patient_id>/forskrivning/ny/": Page(setup=_some_news),
    "patienter/<int:patient_id>/uttag/ny/": Page(setup=lambda d: d.prescription),
    "patienter/<int:patient_id>/uttag/utlamningsstallen/": Page(
        setup=lambda d: (d.prescription, f.make_pickup_point()),
        host="patienter/<int:patient_id>/uttag/ny/",
        interact=_search_pickup,
    ),
    # issue 8: the page with its timeline (a change made), cancel and change until picked
    "uttag/<str:number>/": Page(setup=lambda d: d.changed_withdrawal),
    "uttag/<str:number>/makulera/": Page(),
    "uttag/<str:number>/leverans/": Page(setup=lambda d: f.make_pickup_point()),
    "arenden/nytt/": Page(),
    "min-sida/": Page(query=lambda d, _: f"?number={d.withdrawal.number}"),
    "distributor/": Page(setup=lambda d: (d.withdrawal, d.pickup_withdrawal, d.joint_order)),
    "distributor/uttag/<str:number>/uthamtning/": Page(
        params={"number": lambda d: d.pickup_withdrawal.number}
    ),
    "ansokningar/": Page(setup=lambda d: (d.access_application, d.unit_application)),
    "ansokningar/behorighet/<int:application_id>/aterkalla/": Page(
        params={"application_id": lambda d: d.access_application.pk}
    ),
    "ansokningar/enhet/<int:application_id>/aterkalla/": Page(
        params={"application_id": lambda d: d.unit_application.pk}
    ),
    "administration/behorighet/": Page(setup=lambda d: d.access_application),
    "administration/behorighet/<int:application_id>/": Page(
        params={"application_id": lambda d: d.access_application.pk}
    ),
    "administration/enheter/": Page(setup=lambda d: d.unit_application),
    "administration/enheter/<int:application_id>/": Page(
        params={"application_id": lambda d: d.unit_application.pk}
    ),
    "avdelning/": Page(setup=lambda d: d.joint_order),
    "avdelning/sambestallning/": Page(setup=lambda d: d.residents),
    "sambestallning/<str:number>/": Page(params={"number": lambda d: d.joint_order.number}),
    "e-post/bekrafta/": Page(unverified=True),
    "e-post/verifiera/": Page(anonymous=True, query=lambda d, _: d.verification_link()),
    "arenden/": Page(setup=lambda d: (d.open_case, d.returned_case)),
    "arenden/nytt/<str:kind>/": Page(
        setup=lambda d: d.ooa_product,  # offered on the out-of-assortment form
        # outside the region: the form a search that found nobody leads to (PAT-1, PAT-2)
        query=lambda d, kind: (
            f"?patient={d.world.patient.pk}"
            if kind in PATIENT_KINDS - PATIENT_OPTIONAL_KINDS
            else ""
        ),
    ),
    "arenden/<int:case_id>/": Page(params={"case_id": lambda d: d.returned_case.pk}),
    "arenden/<int:case_id>/komplettera/": Page(params={"case_id": lambda d: d.returned_case.pk}),
    "kundtjanst/": Page(setup=lambda d: (d.open_case, d.returned_case)),
    "kundtjanst/patienter/<int:patient_id>/konvertering/": Page(
        params={"patient_id": lambda d: d.lma_patient.pk}
    ),
    "kundtjanst/uppfoljningar/": Page(setup=lambda d: (d.follow_up, d.held_follow_up)),
    "hjalp/": Page(),  # open to all; a signed-in prescriber also gets their own guides
    "sortimentsnytt/": Page(setup=_some_news),
}


def test_every_page_entry_names_a_portal_route() -> None:
    stale = sorted((set(PAGES) | set(KINDS)) - set(portal_routes()))
    assert stale == [], f"entries for routes that are no longer portal pages: {stale}"


def portal_routes() -> list[str]:
    return sorted(r for r in POLICY if not r.startswith("api/") and not r.endswith(".pdf"))


def page_params() -> list[Any]:
    out = []
    for route in portal_routes():
        if "<str:kind>" in route or "<kind>" in route:
            kinds = KINDS.get(route)
            if kinds is None:  # fails in the test, with what to add
                out.append(pytest.param(route, "?", id=f"/{route}"))
            else:
                out += [pytest.param(route, k, id=f"/{route}[{k}]") for k in kinds]
        else:
            out.append(pytest.param(route, "", id=f"/{route}"))
    return out


def role_for(route: str) -> str:
    policy = POLICY[route]
    for prefix, role in ROLE_BY_PREFIX.items():
        if route.startswith(prefix) and policy.allows(role, "GET"):
            return role
    return next(r for r in PREFER if policy.allows(r, "GET"))


def url_for(route: str, kind: str, data: Data) -> str:
    spec = PAGES.get(route, Page())
    missing = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "kind":
            return kind
        build = spec.params.get(name) or PARAMS.get(name)
        if build is None:
            missing.append(name)
            return name
        return str(build(data))

    url = "/" + _PARAM.sub(fill, route)
    assert not missing, (
        f"/{route}: no way to build the URL parameter(s) {missing}; add them to PARAMS or "
        f"to the route's Page in {__name__}.PAGES"
    )
    if spec.query is not None:
        url += spec.query(data, kind)
    return url


# --- the browser --------------------------------------------------------------------------


class Watch:
    """Console errors (a blocked script or style is one) and uncaught page errors."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


def log_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def verify_emails(*, except_user: Any = None) -> None:
    """CON-3: every address counts as verified, so the gate lets the pages through."""
    users = User.objects.all()
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
    users.update(email_verified_at=clock.now(), email_verified_address=F("email"))


def assert_accessible(page: Any, name: str, watch: Watch) -> None:
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    results = Axe().run(page, options=WCAG_21_AA)
    violations = results.response["violations"]
    lines = [
        f"  {v['id']} ({v.get('impact')}): {v['help']}\n"
        + "".join(f"    {n['target']}: {n.get('failureSummary', '')!r}\n" for n in v["nodes"])
        for v in violations
    ]
    assert violations == [], f"{name}: {len(violations)} axe violation(s)\n" + "".join(lines)
    assert watch.errors == [], f"{name}: console errors {watch.errors}"


@dataclass
class Opened:
    url: str
    status: int


def open_page(
    route: str, kind: str, *, page: Any, live_server: Any, world: Any
) -> tuple[Opened, Data]:
    if kind == "?":
        pytest.fail(f"/{route}: no kind values to open it with; add them to {__name__}.KINDS")
    data = Data(world)
    spec = PAGES.get(route, Page())
    if spec.setup is not None:
        spec.setup(data)
    target = spec.host or route
    url = url_for(target, kind, data)
    own_url = url_for(route, kind, data) if spec.host else url
    user = None if spec.anonymous else data.user_of(role_for(route))
    verify_emails(except_user=user if spec.unverified else None)
    if user is not None:
        log_in(page, live_server, user)
    # the answer itself first, unfollowed: a POST-only page answers 405 with no body,
    # which Chromium will not show
    status = page.request.get(live_server.url + url, max_redirects=0).status
    if status != 200:
        return Opened(url, status), data
    response = page.goto(live_server.url + url)
    assert response is not None
    status = response.status
    if spec.host is not None and status == 200 and spec.interact is not None:
        # the fragment's own answer, then the page with it loaded
        with page.expect_response(lambda r: own_url.split("?")[0] in r.url) as fragment:
            spec.interact(page)
        status = fragment.value.status
    return Opened(url, status), data


@pytest.mark.parametrize(("route", "kind"), page_params())
def test_page_passes_axe(
    route: Any, kind: Any, live_server: LiveServer, page: PwPage, world: World, email_gate: None
) -> None:
    watch = Watch(page)
    opened, _ = open_page(route, kind, page=page, live_server=live_server, world=world)
    if opened.status == 405:
        pytest.skip(f"/{route} only accepts POST (GET answers 405)")
    assert opened.status == 200, f"{opened.url}: {opened.status}"
    path = page.url.removeprefix(live_server.url).split("#")[0]
    assert path == opened.url, f"{opened.url} redirected to {path}"
    assert_accessible(page, opened.url, watch)


# --- forms sent empty: the error state of each form page ---------------------------------

# (route, kind, the submit button); the answer must show the error summary
EMPTY_FORMS = [
    *[("arenden/nytt/<str:kind>/", k, "Skicka till kundtjänst") for k in CaseKind.values],
    ("ansokningar/behorighet/<str:kind>/", "ny", "Skicka ansökan"),
    ("ansokningar/enhet/", "", "Skicka ansökan"),
    ("avdelning/sambestallning/", "", "Fortsätt till sammanfattning"),
    ("logga-in/", "", "Logga in"),
    ("valj-enhet/", "", "Fortsätt"),
    ("patienter/<int:patient_id>/forskrivning/ny/", "", "Spara förskrivningen"),
    ("patienter/<int:patient_id>/uttag/ny/", "", "Beställ"),
    ("administration/behorighet/<int:application_id>/", "", "Spara beslutet"),
    ("administration/enheter/<int:application_id>/", "", "Spara beslutet"),
    ("administration/utskick/", "", "Skicka utskicket"),
    ("kundtjanst/arenden/<int:case_id>/", "", "Spara beslutet"),
    ("kundtjanst/patienter/<int:patient_id>/konvertering/", "", "Konvertera"),
    ("distributor/uttag/<str:number>/uthamtning/", "", "Registrera uthämtning"),
    ("arenden/nytt/", "", "Fortsätt"),
    # the delivery change form opens filled in: its error state is checked in
    # test_journeys_browser.py (cancel before picking)
    ("kundtjanst/uppfoljningar/", "", "Spara enhetens beslut"),  # SKYDD-5
]


@pytest.mark.parametrize(
    ("route", "kind", "button"),
    [pytest.param(r, k, b, id=f"/{r}[{k}]" if k else f"/{r}") for r, k, b in EMPTY_FORMS],
)
def test_form_with_errors_passes_axe(
    route: Any,
    kind: Any,
    button: Any,
    live_server: LiveServer,
    page: PwPage,
    world: World,
    email_gate: None,
) -> None:
    watch = Watch(page)
    opened, _ = open_page(route, kind, page=page, live_server=live_server, world=world)
    assert opened.status == 200, f"{opened.url}: {opened.status}"
    page.locator("main").get_by_role("button", name=button, exact=True).first.click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page, f"{opened.url} sent empty", watch)


@pytest.mark.rule("PAT-1")
def test_search_that_finds_nobody_passes_axe(
    live_server: LiveServer, page: PwPage, world: World, email_gate: None
) -> None:
    """The answer to a number the register does not give LMN, with the way to the case."""
    watch = Watch(page)
    verify_emails()
    log_in(page, live_server, world.prescriber)
    page.goto(live_server.url + "/")
    page.get_by_label("Personnummer", exact=False).first.fill("19880214-1427")
    page.locator("main").get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator("#not-in-register")).to_be_visible()
    to_case = "Skicka ärende för patient folkbokförd i annan region"
    expect(page.get_by_role("link", name=to_case)).to_be_visible()
    assert_accessible(page, "/ not found", watch)


@pytest.mark.rule("PAT-1")
def test_patient_page_of_a_deceased_patient_passes_axe(
    live_server: LiveServer, page: PwPage, world: World, email_gate: None
) -> None:
    watch = Watch(page)
    data = Data(world)
    data.withdrawal
    f.register_person(world.patient.identifier, deceased_on=clock.today())
    sync_register(actor=Actor.system("register-sync"))
    verify_emails()
    log_in(page, live_server, world.prescriber)
    page.goto(f"{live_server.url}/patienter/{world.patient.pk}/")
    expect(page.locator("#deceased")).to_be_visible()
    assert_accessible(page, "/patienter/<id>/ deceased", watch)


# --- the error pages (Swedish, in the design system) ------------------------------------


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_the_not_found_page_passes_axe(
    signed_in: Any, live_server: LiveServer, page: PwPage, world: World
) -> None:
    watch = Watch(page)
    if signed_in:
        log_in(page, live_server, world.prescriber)
    response = page.goto(live_server.url + "/finns-inte/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    # Chromium logs the page's own 404 status; anything else is a real error
    watch.errors = [e for e in watch.errors if "status of 404" not in e]
    assert_accessible(page, "/finns-inte/", watch)


def test_the_help_page_passes_axe_without_login(
    live_server: LiveServer, page: PwPage, world: World
) -> None:
    watch = Watch(page)
    response = page.goto(live_server.url + "/hjalp/")
    assert response is not None and response.status == 200
    assert_accessible(page, "/hjalp/ without login", watch)
