"""The REST API (django-ninja), mounted at /api/v1/ by lmn.config.urls.

Adapters only: each route authorises, parses, calls one service and renders.
Errors share one shape (see lmn.api.errors). Each routes module declares who may call
its operations (POLICIES, beside its router); `mount` gathers them into POLICIES here,
which BearerToken enforces.
"""

from __future__ import annotations

import re

from ninja import NinjaAPI, Router

from lmn.api import errors
from lmn.api.auth import BearerToken
from lmn.api.routes import (
    applications,
    auth,
    cases,
    distributor,
    follow_ups,
    patients,
    pickup_points,
    prescription_work,
    prescriptions,
    products,
    wards,
    withdrawals,
)
from lmn.core.authorization import RoutePolicy, public_route

MOUNT = "api/v1/"  # where lmn.config.urls mounts the API

# every API route (as Django resolves it) and its policy; the API's own pages are public
POLICIES: dict[str, RoutePolicy] = {
    MOUNT: public_route(),
    f"{MOUNT}openapi.json": public_route(),
    f"{MOUNT}docs": public_route(),
}

api = NinjaAPI(
    title="LMN API",
    version="1",
    urls_namespace="api",
    description=(
        "Förskrivning och beställning av läkemedelsnära produkter. "
        "Logga in med POST /auth/token och skicka sedan `Authorization: Bearer <token>`. "
        "Patientens e-tjänst (/e-tjanst/api-nyckel/) ger en patientnyckel (`lmnp_…`): med "
        "den ser patienten, eller ett ombud med fullmakt, bara den patientens uppgifter "
        "(GET /patients/{patient_id}, GET /prescriptions/{prescription_id}, "
        "GET /withdrawals/{number}) och beställer standardleverans åt den "
        "(POST /withdrawals, /withdrawals/preview, /withdrawals/{number}/cancel); "
        "annat svarar 403, och andra patienter 404 som om de inte fanns. "
        'Fel svarar alltid `{"errors": [{"code", "field", "message"}]}`.'
    ),
    auth=BearerToken(POLICIES),
    parser=errors.StrictJsonParser(),
)
errors.install(api)


def mount(prefix: str, router: Router, policies: dict[str, RoutePolicy]) -> None:
    """Add a router and its routes' policies ("/{number}" resolves as "<number>")."""
    api.add_router(prefix, router)
    for path, policy in policies.items():
        route = MOUNT + (prefix + path).lstrip("/")
        POLICIES[re.sub(r"\{(\w+)\}", r"<\1>", route)] = policy


mount("/auth", auth.router, auth.POLICIES)
mount("/patients", patients.router, patients.POLICIES)
mount("/products", products.router, products.POLICIES)
mount("/prescriptions", prescriptions.router, prescriptions.POLICIES)
mount("/prescription-moves", prescription_work.moves_router, prescription_work.MOVE_POLICIES)
mount(
    "/prescription-templates",
    prescription_work.templates_router,
    prescription_work.TEMPLATE_POLICIES,
)
mount("/worklists", prescription_work.worklists_router, prescription_work.WORKLIST_POLICIES)
mount("/withdrawals", withdrawals.router, withdrawals.POLICIES)
mount("/pickup-points", pickup_points.router, pickup_points.POLICIES)
mount("/distributor", distributor.router, distributor.POLICIES)
mount("/access-applications", applications.access_router, applications.ACCESS_POLICIES)
mount("/unit-applications", applications.unit_router, applications.UNIT_POLICIES)
mount("/wards", wards.wards_router, wards.WARD_POLICIES)
mount("/joint-orders", wards.joint_router, wards.JOINT_POLICIES)
mount("/cases", cases.router, cases.POLICIES)
mount("/follow-ups", follow_ups.router, follow_ups.POLICIES)
