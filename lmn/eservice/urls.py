"""The patient's e-service (EPAT) under /e-tjanst/, each route with who may use it.

`acting.guarded` enforces the policy before a view runs: a login with e-identification,
a patient chosen whom the person may still act for, and a role the policy allows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import URLPattern, path

from lmn.core.actor import Role
from lmn.core.authorization import RoutePolicy, public_route, self_service

from .acting import guarded
from .views import auth, changes, ordering, pages, proxies, token

MOUNT = "e-tjanst/"
PATIENT_ONLY = RoutePolicy(frozenset({Role.PATIENT}), refusal="EPAT-2")  # only for oneself
CHOOSING = self_service()


def route(
    pattern: str,
    view: Callable[..., HttpResponseBase],
    name: str,
    policy: RoutePolicy,
    *,
    choose: bool = False,
) -> URLPattern:
    return path(pattern, guarded(view, policy, choose=choose), name=name)


app_name = "eservice"
urlpatterns = [
    route("", auth.login, "login", public_route()),
    route("sprak/", auth.language, "language", public_route()),
    route("e-legitimation/", auth.eid_start, "eid_start", public_route()),
    route("e-legitimation/svar/", auth.eid_callback, "eid_callback", public_route()),
    route("logga-ut/", auth.logout, "logout", public_route()),
    route("valj/", auth.choose, "choose", CHOOSING, choose=True),
    route("produkter/", pages.products, "products", self_service("patient")),
    route("bestall/", ordering.order_new, "order_new", self_service("patient", ordering=True)),
    route("bestallningar/", pages.orders, "orders", self_service("patient")),
    route("bestallningar/<str:number>/", pages.order, "order", self_service("withdrawal")),
    route(
        "bestallningar/<str:number>/makulera/",
        pages.cancel,
        "cancel",
        self_service("withdrawal", ordering=True),
    ),
    route(
        "bestallningar/<str:number>/andra/",
        changes.change,
        "change",
        self_service("withdrawal", ordering=True),
    ),
    route("fullmakter/", proxies.powers, "powers", PATIENT_ONLY),
    route("fullmakter/<int:power_id>/aterkalla/", proxies.revoke, "revoke", PATIENT_ONLY),
    route("vem-har-gjort-vad/", proxies.activity, "activity", PATIENT_ONLY),
    route("api-nyckel/", token.api_key, "api_key", self_service()),
]

POLICIES: dict[str, RoutePolicy] = {
    MOUNT + str(p.pattern): p.callback.lmn_policy  # type: ignore[attr-defined]
    for p in urlpatterns
}
