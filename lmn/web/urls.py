from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import path
from django.utils.decorators import decorator_from_middleware

from .middleware import ActingUnitMiddleware, portal
from .views import (
    access,
    auth,
    backoffice,
    cases,
    contact,
    distributor,
    help,
    my_page,
    news,
    patients,
    prescriptions,
    ward,
    withdrawal_changes,
    withdrawals,
)

_with_acting = decorator_from_middleware(ActingUnitMiddleware)


def page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A portal page: login and an acting unit are required unless the view says otherwise."""
    return _with_acting(portal(view))


app_name = "web"
urlpatterns = [
    path("", page(patients.home), name="home"),
    path("logga-in/", page(auth.login_view), name="login"),
    path("logga-ut/", page(auth.logout_view), name="logout"),
    path("valj-enhet/", page(auth.choose_unit), name="choose_unit"),
    path("patienter/<int:patient_id>/", page(patients.patient_overview), name="patient"),
    path("patienter/sok/", page(patients.advanced_search), name="advanced_search"),
    path(
        "patienter/<int:patient_id>/forskrivning/ny/",
        page(prescriptions.new_prescription),
        name="new_prescription",
    ),
    path(
        "patienter/<int:patient_id>/uttag/ny/",
        page(withdrawals.new_withdrawal),
        name="new_withdrawal",
    ),
    path(
        "patienter/<int:patient_id>/uttag/sammanfattning/",
        page(withdrawals.preview),
        name="withdrawal_preview",
    ),
    path(
        "patienter/<int:patient_id>/uttag/utlamningsstallen/",
        page(withdrawals.pickup_points),
        name="pickup_points",
    ),
    path("uttag/<str:number>/", page(withdrawals.withdrawal_detail), name="withdrawal"),
    path(
        "uttag/<str:number>/makulera/",
        page(withdrawal_changes.cancel),
        name="cancel_withdrawal",
    ),
    path(
        "uttag/<str:number>/leverans/",
        page(withdrawal_changes.change),
        name="change_delivery",
    ),
    path("min-sida/", page(my_page.my_page), name="my_page"),
    path("hjalp/", page(help.help_page), name="help"),
    path("sortimentsnytt/", page(news.news), name="news"),
    # issue 5: applications (ACC-1, ACC-4), special housing (SAM), contact details (CON)
    path("ansokningar/", page(access.my_applications), name="applications"),
    path("ansokningar/behorighet/<str:kind>/", page(access.apply_access), name="apply_access"),
    path(
        "ansokningar/behorighet/<int:application_id>/aterkalla/",
        page(access.withdraw_access),
        name="withdraw_access",
    ),
    path("ansokningar/enhet/", page(access.apply_unit), name="apply_unit"),
    path(
        "ansokningar/enhet/<int:application_id>/aterkalla/",
        page(access.withdraw_unit),
        name="withdraw_unit",
    ),
    path("administration/behorighet/", page(access.access_queue), name="access_queue"),
    path(
        "administration/behorighet/<int:application_id>/",
        page(access.access_decision),
        name="access_decision",
    ),
    path("administration/enheter/", page(access.unit_queue), name="unit_queue"),
    path(
        "administration/enheter/<int:application_id>/",
        page(access.unit_decision),
        name="unit_decision",
    ),
    path("administration/utskick/", page(contact.mailing), name="mailing"),
    path("avdelning/", page(ward.ward), name="ward"),
    path("avdelning/sambestallning/", page(ward.joint_order), name="new_joint_order"),
    path("sambestallning/<str:number>/", page(ward.joint_order_detail), name="joint_order"),
    path("min-sida/kontaktuppgifter/", page(contact.edit_contact), name="edit_contact"),
    path("e-post/bekrafta/", page(contact.confirm_email), name="confirm_email"),
    path("e-post/verifiera/", page(contact.verify), name="verify_email"),
    path("distributor/", page(distributor.queue), name="distributor"),
    path(
        "distributor/uttag/<str:number>/handelse/",
        page(distributor.shipment_event),
        name="shipment_event",
    ),
    path(
        "distributor/uttag/<str:number>/uthamtning/",
        page(distributor.collection),
        name="collection",
    ),
    path(
        "distributor/uttag/<str:number>/etikett.pdf",
        page(distributor.label),
        name="label",
    ),
    # issue 4: cases (CH-1) and the customer-service back office
    path("arenden/", page(cases.my_cases), name="cases"),
    path("arenden/nytt/", page(cases.start_case), name="start_case"),
    path("arenden/nytt/<str:kind>/", page(cases.new_case), name="new_case"),
    path("arenden/<int:case_id>/", page(cases.case_detail), name="case"),
    path("arenden/<int:case_id>/komplettera/", page(cases.complete), name="complete_case"),
    path("kundtjanst/", page(backoffice.queue), name="backoffice"),
    path("kundtjanst/arenden/<int:case_id>/", page(backoffice.case_page), name="backoffice_case"),
    path("kundtjanst/arenden/<int:case_id>/beslut/", page(backoffice.decide), name="decide_case"),
    path(
        "kundtjanst/patienter/<int:patient_id>/konvertering/",
        page(backoffice.conversion),
        name="conversion",
    ),
    path("kundtjanst/uppfoljningar/", page(backoffice.follow_ups), name="follow_ups"),
    path(
        "kundtjanst/uppfoljningar/<int:follow_up_id>/kontakt/",
        page(backoffice.contact),
        name="log_contact",
    ),
    path(
        "kundtjanst/uppfoljningar/<int:follow_up_id>/leverans/",
        page(backoffice.held_delivery),
        name="held_delivery",
    ),
]
