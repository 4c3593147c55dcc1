"""The portal's routes, each with who may use it (its RoutePolicy, see
lmn.core.authorization). ActingUnitMiddleware enforces the policy before the view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import URLPattern, path
from django.utils.decorators import decorator_from_middleware

from lmn.core.authorization import (
    AUDITORS,
    CARE_STAFF,
    DASHBOARD_READERS,
    JOINT_ORDERERS,
    MAILERS,
    ORDERERS,
    PATIENT_READERS,
    STAFF,
    RoutePolicy,
    administering,
    for_customer_service,
    heading,
    ordering,
    prescribing,
    public_route,
    shipping,
)

from .middleware import ActingUnitMiddleware, portal
from .views import (
    access,
    auth,
    backoffice,
    care,
    cases,
    contact,
    distributor,
    health,
    help,
    impact,
    invoicing,
    language,
    logreview,
    my_page,
    news,
    patients,
    powers,
    prescription_life,
    prescription_work,
    prescriptions,
    reminders,
    reporting,
    vouchers,
    ward,
    withdrawal_changes,
    withdrawals,
)

_with_acting = decorator_from_middleware(ActingUnitMiddleware)


def route(
    pattern: str, view: Callable[..., HttpResponseBase], name: str, policy: RoutePolicy
) -> URLPattern:
    """A portal page and who may use it: login and an acting unit are required unless the
    view says otherwise, and the role must be one the policy allows."""
    return path(pattern, _with_acting(portal(view, policy)), name=name)


app_name = "web"
urlpatterns = [
    # the start page; its POST is the patient search
    route("", patients.home, "home", RoutePolicy(STAFF, methods={"POST": PATIENT_READERS})),
    route("logga-in/", auth.login_view, "login", public_route()),
    route("logga-ut/", auth.logout_view, "logout", RoutePolicy(STAFF)),
    route("valj-enhet/", auth.choose_unit, "choose_unit", RoutePolicy(STAFF)),
    route(
        "patienter/<int:patient_id>/",
        patients.patient_overview,
        "patient",
        RoutePolicy(PATIENT_READERS, "patient"),
    ),
    # UT-5: advanced search
    # PDL-1, PDL-2: care staff state a care relationship or an emergency access
    route(
        "patienter/<int:patient_id>/vardrelation/",
        care.care_relationship,
        "care_relationship",
        RoutePolicy(CARE_STAFF, "patient"),
    ),
    route(
        "patienter/<int:patient_id>/nodatkomst/",
        care.emergency_access,
        "emergency_access",
        RoutePolicy(CARE_STAFF, "patient"),
    ),
    # PDL-3, PDL-4: the auditor's log follow-up and the patient's log extract
    route("granskning/", logreview.follow_up, "log_follow_up", RoutePolicy(AUDITORS)),
    route(
        "granskning/<int:event_id>/granskad/",
        logreview.review,
        "review_access",
        RoutePolicy(AUDITORS),
    ),
    route(
        "granskning/logutdrag.pdf",
        logreview.extract_for_auditor,
        "extract_for_auditor",
        RoutePolicy(AUDITORS),
    ),
    route(
        "kundtjanst/patienter/<int:patient_id>/logutdrag.pdf",
        logreview.extract_for_customer_service,
        "extract_for_customer_service",
        for_customer_service("patient"),
    ),
    route(
        "kundtjanst/patienter/<int:patient_id>/sparrar/",
        care.patient_blocks,
        "patient_blocks",
        for_customer_service("patient"),
    ),
    route(
        "patienter/<int:patient_id>/talonger/",
        vouchers.choose,
        "choose_vouchers",
        prescribing("patient"),
    ),
    route(
        "patienter/<int:patient_id>/paminnelser/",
        reminders.reminder_settings,
        "reminder_settings",
        RoutePolicy(PATIENT_READERS, "patient"),
    ),
    route(
        "patienter/sok/",
        patients.advanced_search,
        "advanced_search",
        RoutePolicy(PATIENT_READERS, "patient"),
    ),
    route(
        "patienter/<int:patient_id>/forskrivning/ny/",
        prescriptions.new_prescription,
        "new_prescription",
        prescribing("patient"),
    ),
    # issue 15: the prescription's life (RX-1..RX-4); the services check the unit
    route(
        "forskrivningar/<int:prescription_id>/",
        prescription_life.prescription_detail,
        "prescription",
        RoutePolicy(PATIENT_READERS, "prescription"),
    ),
    route(
        "forskrivningar/<int:prescription_id>/andra/",
        prescription_life.change,
        "change_prescription",
        prescribing("prescription"),
    ),
    route(
        "forskrivningar/<int:prescription_id>/fornya/",
        prescription_life.renew,
        "renew_prescription",
        prescribing("prescription"),
    ),
    route(
        "forskrivningar/<int:prescription_id>/avsluta/",
        prescription_life.end,
        "end_prescription",
        prescribing("prescription"),
    ),
    route(
        "forskrivningar/<int:prescription_id>/flytta/",
        prescription_life.move,
        "move_prescription",
        prescribing("prescription"),
    ),
    route("flyttar/", prescription_work.moves_inbox, "moves_inbox", prescribing("")),
    route(
        "flyttar/<int:move_id>/<str:verb>/",
        prescription_work.decide_move,
        "decide_move",
        prescribing(""),
    ),
    route("arbetslista/", prescription_work.worklist, "worklist", prescribing("")),
    route("favoriter/", prescription_work.favourites, "favourites", prescribing("")),
    route(
        "favoriter/<int:template_id>/ta-bort/",
        prescription_work.remove_favourite,
        "remove_favourite",
        prescribing(""),
    ),
    route(
        "patienter/<int:patient_id>/uttag/ny/",
        withdrawals.new_withdrawal,
        "new_withdrawal",
        ordering("patient"),
    ),
    route(
        "patienter/<int:patient_id>/uttag/sammanfattning/",
        withdrawals.preview,
        "withdrawal_preview",
        ordering("patient"),
    ),
    route(
        "patienter/<int:patient_id>/uttag/utlamningsstallen/",
        withdrawals.pickup_points,
        "pickup_points",
        ordering("patient"),
    ),
    route(
        "uttag/<str:number>/",
        withdrawals.withdrawal_detail,
        "withdrawal",
        RoutePolicy(ORDERERS, "withdrawal"),
    ),
    route(
        "uttag/<str:number>/makulera/",
        withdrawal_changes.cancel,
        "cancel_withdrawal",
        ordering("withdrawal"),
    ),
    route(
        "uttag/<str:number>/leverans/",
        withdrawal_changes.change,
        "change_delivery",
        ordering("withdrawal"),
    ),
    route("min-sida/", my_page.my_page, "my_page", RoutePolicy(STAFF)),
    # the header's language switch (a POST form on every page, also before login)
    route("sprak/", language.set_language, "set_language", public_route()),
    route("hjalp/", help.help_page, "help", public_route()),  # whom to call: also before logging in
    # for the load balancer and monitoring: database reachable, age of the oldest queued task
    route("healthz", health.healthz, "healthz", public_route()),
    route("sortimentsnytt/", news.news, "news", RoutePolicy(STAFF)),  # GEN-6: assortment news
    # issue 5: applications (ACC-1, ACC-4), special housing (SAM), contact details (CON)
    route("ansokningar/", access.my_applications, "applications", heading()),
    route("ansokningar/behorighet/<str:kind>/", access.apply_access, "apply_access", heading()),
    route(
        "ansokningar/behorighet/<int:application_id>/aterkalla/",
        access.withdraw_access,
        "withdraw_access",
        heading(),
    ),
    route("ansokningar/enhet/", access.apply_unit, "apply_unit", heading()),
    route(
        "ansokningar/enhet/<int:application_id>/aterkalla/",
        access.withdraw_unit,
        "withdraw_unit",
        heading(),
    ),
    route("administration/behorighet/", access.access_queue, "access_queue", administering()),
    route(
        "administration/behorighet/<int:application_id>/",
        access.access_decision,
        "access_decision",
        administering(),
    ),
    route("administration/enheter/", access.unit_queue, "unit_queue", administering()),
    route(
        "administration/enheter/<int:application_id>/",
        access.unit_decision,
        "unit_decision",
        administering(),
    ),
    # INV-1..INV-4: invoices, credit notes and price lists
    route("administration/fakturering/", invoicing.invoicing, "invoicing", administering()),
    route(
        "administration/fakturering/<int:invoice_id>/",
        invoicing.invoice,
        "invoice",
        administering(),
    ),
    route(
        "administration/fakturering/<int:invoice_id>/faktura.pdf",
        invoicing.invoice_pdf,
        "invoice_pdf",
        administering(),
    ),
    route(
        "administration/fakturering/<int:invoice_id>/rader.csv",
        invoicing.invoice_csv_lines,
        "invoice_csv",
        administering(),
    ),
    route(
        "administration/fakturering/<int:invoice_id>/peppol.xml",
        invoicing.invoice_ubl,
        "invoice_ubl",
        administering(),
    ),
    route("administration/prislistor/", invoicing.price_lists, "price_lists", administering()),
    route(
        "administration/prislistor/<int:import_id>/",
        invoicing.price_list,
        "price_list",
        administering(),
    ),
    route(
        "administration/utskick/", contact.mailing, "mailing", RoutePolicy(MAILERS, refusal="CON-4")
    ),
    # the ward's residents: scoped to the ward the orderer acts in, not by a parameter
    route("avdelning/", ward.ward, "ward", RoutePolicy(ORDERERS, refusal="ACC-2")),
    route(
        "avdelning/sambestallning/",
        ward.joint_order,
        "new_joint_order",
        RoutePolicy(JOINT_ORDERERS, refusal="SAM-4"),
    ),
    route(
        "sambestallning/<str:number>/",
        ward.joint_order_detail,
        "joint_order",
        RoutePolicy(JOINT_ORDERERS, refusal="SAM-4"),
    ),
    route("min-sida/kontaktuppgifter/", contact.edit_contact, "edit_contact", RoutePolicy(STAFF)),
    route("e-post/bekrafta/", contact.confirm_email, "confirm_email", RoutePolicy(STAFF)),
    # the signed link in the e-mail is the credential
    route("e-post/verifiera/", contact.verify, "verify_email", public_route()),
    route("distributor/", distributor.queue, "distributor", shipping("")),
    route(
        "distributor/uttag/<str:number>/handelse/",
        distributor.shipment_event,
        "shipment_event",
        shipping("withdrawal"),
    ),
    route(
        "distributor/uttag/<str:number>/uthamtning/",
        distributor.collection,
        "collection",
        shipping("withdrawal"),
    ),
    route(
        "distributor/uttag/<str:number>/etikett.pdf",
        distributor.label,
        "label",
        shipping("withdrawal"),
    ),
    # issue 4: cases (CH-1) and the customer-service back office
    route("arenden/", cases.my_cases, "cases", prescribing("")),
    # issue 8: every kind from one place
    route("arenden/nytt/", cases.start_case, "start_case", prescribing("patient")),
    route("arenden/nytt/<str:kind>/", cases.new_case, "new_case", prescribing("patient")),
    route("arenden/<int:case_id>/", cases.case_detail, "case", prescribing("case")),
    route(
        "arenden/<int:case_id>/komplettera/", cases.complete, "complete_case", prescribing("case")
    ),
    route("kundtjanst/", backoffice.queue, "backoffice", for_customer_service("")),
    route("kundtjanst/talong/", vouchers.redeem, "redeem_voucher", for_customer_service("")),
    route(
        "kundtjanst/arenden/<int:case_id>/",
        backoffice.case_page,
        "backoffice_case",
        for_customer_service("case"),
    ),
    route(
        "kundtjanst/arenden/<int:case_id>/beslut/",
        backoffice.decide,
        "decide_case",
        for_customer_service("case"),
    ),
    route(
        "kundtjanst/patienter/<int:patient_id>/konvertering/",
        backoffice.conversion,
        "conversion",
        for_customer_service("patient"),
    ),
    route(
        "kundtjanst/uppfoljningar/",
        backoffice.follow_ups,
        "follow_ups",
        for_customer_service("withdrawal"),
    ),
    route(
        "kundtjanst/uppfoljningar/<int:follow_up_id>/kontakt/",
        backoffice.contact,
        "log_contact",
        for_customer_service("withdrawal"),
    ),
    # SKYDD-5, SKYDD-7: the unit's decision on a withdrawal held for a newly protected patient
    route(
        "kundtjanst/uppfoljningar/<int:follow_up_id>/leverans/",
        backoffice.held_delivery,
        "held_delivery",
        for_customer_service("withdrawal"),
    ),
    # issue 12: dashboards, statistics and assortment-change impact
    route(
        "uppfoljning/",
        reporting.dashboard,
        "dashboard",
        RoutePolicy(DASHBOARD_READERS, refusal="forbidden"),
    ),
    # the withdrawals behind a figure; patients only of the head's own unit (audited)
    route(
        "uppfoljning/uttag/",
        reporting.drilldown,
        "drilldown",
        RoutePolicy(DASHBOARD_READERS, refusal="forbidden"),
    ),
    route("administration/statistik/", reporting.statistics, "statistics", administering()),
    route("administration/sortimentsbyten/", impact.changes, "impact_changes", administering()),
    route(
        "administration/sortimentsbyten/<int:product_id>/",
        impact.article,
        "impact_article",
        administering(),
    ),
    # where the e-mail's link leads: the unit's own prescriptions to change
    route("sortimentsbyten/", impact.unit_list, "unit_impact", prescribing("")),
    # EPAT-2: a power of attorney the patient sent on paper
    route("kundtjanst/fullmakter/", powers.paper_power, "paper_power", for_customer_service("")),
]

# every portal route and its policy, for the tests that walk route × role × scope
POLICIES: dict[str, RoutePolicy] = {
    str(p.pattern): p.callback.lmn_policy  # type: ignore[attr-defined]
    for p in urlpatterns
}
