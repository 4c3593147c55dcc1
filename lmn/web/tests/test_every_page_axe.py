"""Every portal page, in Debian's Chromium, passes axe at WCAG 2.1 AA with 0 violations.

The pages are the routes of the portal's policies (lmn/web/urls.py) that are
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
from typing import Any

import pytest
from playwright.sync_api import Page as PwPage
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from lmn.cases.states import CaseKind
from lmn.core import clock
from lmn.core.actor import Role
from lmn.testing import factories as f
from lmn.testing.types import World
from lmn.web.forms.access import ACCESS_KIND_SLUGS
from lmn.web.forms.cases import PATIENT_KINDS, PATIENT_OPTIONAL_KINDS
from lmn.web.urls import POLICIES as POLICY

from .axe_support import Data, Watch, assert_accessible, log_in, verify_emails

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


# --- how each page is opened ------------------------------------------------------------

# the role a page is opened as, by the start of its route; else the first allowed in PREFER
ROLE_BY_PREFIX = {
    "distributor/": Role.DISTRIBUTOR,
    "kundtjanst/": Role.CUSTOMER_SERVICE,
    "administration/": Role.ADMIN,
    "ansokningar/": Role.HEAD_OF_UNIT,
    "avdelning/": Role.ORDERER,
    "sambestallning/": Role.ORDERER,
    "granskning/": Role.AUDITOR,
    "uppfoljning/": Role.PAYER,  # the payer's contact; the head of unit's page is the same
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
    Role.PAYER,
]

# URL parameters by name; a route can say otherwise in Page.params
PARAMS: dict[str, Callable[[Data], Any]] = {
    "patient_id": lambda d: d.world.patient.pk,
    "number": lambda d: d.withdrawal.number,
    "case_id": lambda d: d.open_case.pk,
    "follow_up_id": lambda d: d.follow_up.pk,
    "prescription_id": lambda d: d.prescription.pk,
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


def _care_stated(d: Data) -> None:
    """PDL-1: another unit's prescriber reads the patient's records; the auditor's
    follow-up lists it with a review form."""
    d.prescription  # made on first use
    f.in_care(d.world.patient, d.world.outsider)


def _changed(d: Data) -> None:
    """Issue 15: a prescription with a second version, so its history has two rows."""
    from lmn.prescriptions.lifecycle import PrescriptionChange, change_prescription

    p = d.prescription
    change_prescription(
        p,
        PrescriptionChange(p.version, 2, "day", p.valid_until, 90, "Morgon och kväll"),
        actor=d.world.actor(d.world.doctor),
    )


def _move_to_us(d: Data) -> None:
    """Issue 15: another unit asks the prescriber's unit to take a prescription over."""
    from lmn.prescriptions.moves import request_move

    w = d.world
    p = f.make_prescription(
        patient=w.patient, product=w.diabetes_product, prescriber=w.outsider, unit=w.other_unit
    )
    request_move(p, to_unit=w.unit, message="Flyttar till hemsjukvården", based_on_version=1,
                 actor=w.actor(w.outsider))  # fmt: skip


def _expiring(d: Data) -> None:
    w = d.world
    f.make_prescription(
        patient=w.patient, product=w.diabetes_product, prescriber=w.prescriber, unit=w.unit,
        valid_until=clock.today() + dt.timedelta(days=10),
    )  # fmt: skip


def _favourite(d: Data) -> None:
    from lmn.prescriptions.templates import TemplateDraft, add_template

    add_template(
        TemplateDraft(d.world.diabetes_product, 2, "day"), actor=d.world.actor(d.world.prescriber)
    )


def _an_invoice(d: Data) -> Any:
    """Last month's invoice of the world's unit, with a credit note (INV-1, INV-2)."""
    from decimal import Decimal

    from lmn.core.actor import Actor
    from lmn.invoicing.models import Invoice
    from lmn.invoicing.services.credit import credit_invoice
    from lmn.invoicing.services.run import run_invoicing
    from lmn.invoicing.tests.builders import withdrawal

    found = Invoice.objects.filter(kind="invoice").first()
    if found is not None:
        return found
    last_month = clock.today().replace(day=1) - dt.timedelta(days=1)
    placed = dt.datetime.combine(last_month, dt.time(12), tzinfo=clock.STOCKHOLM)
    withdrawal(
        unit=d.world.unit, patient=d.world.patient, prescriber=d.world.doctor,
        placed_at=placed, lines=[(d.world.diabetes_product, 2)], fees=[("emergency", "150.00")],
    )  # fmt: skip
    run_invoicing(last_month, actor=Actor.system("axe"))
    invoice = Invoice.objects.get(kind="invoice")
    first = invoice.lines.order_by("position").first()
    assert first is not None
    credit_invoice(invoice, {first.pk: Decimal(1)}, reason="Retur", actor=Actor.system("axe"))
    return invoice


def _a_price_import(d: Data) -> Any:
    """A price list with a rejected row: the report is what the page shows."""
    from lmn.catalog.models import PriceImport
    from lmn.catalog.services import process_price_import, start_price_import
    from lmn.core.actor import Actor

    found = PriceImport.objects.first()
    if found is not None:
        return found
    article = d.world.diabetes_product.article_number
    body = f"artikelnummer;pris;giltig_fran;moms\n{article};-1;2027-01-01;25\n"
    made = start_price_import("prislista.csv", body.encode(), actor=Actor.system("axe"))
    return process_price_import(made.pk, actor=Actor.system("axe"))


def _two_memberships(d: Data) -> None:
    f.add_membership(d.world.prescriber, unit=d.world.ward, role=Role.ORDERER)


PAGES: dict[str, Page] = {
    "": Page(setup=lambda d: (d.withdrawal, _some_news(d))),  # type: ignore[func-returns-value]
    "logga-in/": Page(anonymous=True),
    "valj-enhet/": Page(setup=_two_memberships),
    "patienter/<int:patient_id>/": Page(setup=lambda d: (d.withdrawal, d.returned_case)),
    "patienter/<int:patient_id>/forskrivning/ny/": Page(
        setup=lambda d: (_some_news(d), _favourite(d))  # type: ignore[func-returns-value]
    ),
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
    "kundtjanst/fullmakter/": Page(),
    "kundtjanst/uppfoljningar/": Page(setup=lambda d: (d.follow_up, d.held_follow_up)),
    # PDL-1..PDL-3: care relationship, emergency access, blocks, the auditor's follow-up
    "patienter/<int:patient_id>/vardrelation/": Page(setup=lambda d: d.prescription),
    "patienter/<int:patient_id>/nodatkomst/": Page(),
    "kundtjanst/patienter/<int:patient_id>/sparrar/": Page(setup=lambda d: d.prescription),
    "granskning/": Page(setup=_care_stated, query=lambda d, _: "?view=outside"),
    "granskning/<int:event_id>/granskad/": Page(params={"event_id": lambda d: 1}),
    "hjalp/": Page(),  # open to all; a signed-in prescriber also gets their own guides
    "sortimentsnytt/": Page(setup=_some_news),
    # issue 15: the prescription's life
    "forskrivningar/<int:prescription_id>/": Page(setup=_changed),
    "forskrivningar/<int:prescription_id>/andra/": Page(),
    "forskrivningar/<int:prescription_id>/fornya/": Page(),
    "forskrivningar/<int:prescription_id>/avsluta/": Page(setup=lambda d: d.withdrawal),
    "forskrivningar/<int:prescription_id>/flytta/": Page(),
    "flyttar/": Page(setup=_move_to_us),
    "flyttar/<int:move_id>/<str:verb>/": Page(
        params={"move_id": lambda d: 1, "verb": lambda d: "accept"}
    ),
    "arbetslista/": Page(setup=_expiring),
    "favoriter/": Page(setup=_favourite),
    "favoriter/<int:template_id>/ta-bort/": Page(params={"template_id": lambda d: 1}),
    # issue 12: dashboards, statistics, assortment changes (with data behind each)
    "uppfoljning/": Page(setup=lambda d: d.withdrawal),
    "uppfoljning/uttag/": Page(
        setup=lambda d: d.withdrawal,
        query=lambda d, _: f"?figure=month&month={clock.today():%Y-%m}",
    ),
    "administration/statistik/": Page(setup=lambda d: (d.withdrawal, d.pickup_withdrawal)),
    "administration/sortimentsbyten/": Page(setup=lambda d: d.changed_article),
    "administration/sortimentsbyten/<int:product_id>/": Page(
        params={"product_id": lambda d: d.changed_article.pk}
    ),
    "sortimentsbyten/": Page(setup=lambda d: d.changed_article),
    # issue 12: invoicing and price lists (INV-1, INV-2)
    "administration/fakturering/": Page(setup=lambda d: _an_invoice(d)),
    "administration/fakturering/<int:invoice_id>/": Page(
        params={"invoice_id": lambda d: _an_invoice(d).pk}
    ),
    "administration/prislistor/": Page(setup=lambda d: _a_price_import(d)),
    "administration/prislistor/<int:import_id>/": Page(
        params={"import_id": lambda d: _a_price_import(d).pk}
    ),
}


def test_every_page_entry_names_a_portal_route() -> None:
    stale = sorted((set(PAGES) | set(KINDS)) - set(portal_routes()))
    assert stale == [], f"entries for routes that are no longer portal pages: {stale}"


def portal_routes() -> list[str]:
    not_pages = ("healthz",)  # JSON for the load balancer, not a page
    return sorted(
        r
        for r in POLICY
        if not r.startswith("api/")
        and not r.endswith((".pdf", ".csv", ".xml"))  # downloads, not pages
        and r not in not_pages
    )


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
