from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import path
from django.utils.decorators import decorator_from_middleware

from .middleware import ActingUnitMiddleware, portal
from .views import auth, distributor, my_page, patients, prescriptions, withdrawals

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
    path("min-sida/", page(my_page.my_page), name="my_page"),
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
]
