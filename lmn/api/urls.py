"""The REST API (django-ninja), mounted at /api/v1/ by lmn.config.urls.

Adapters only: each route authorises, parses, calls one service and renders.
Errors share one shape (see lmn.api.errors).
"""

from __future__ import annotations

from ninja import NinjaAPI

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
    prescriptions,
    products,
    wards,
    withdrawals,
)

api = NinjaAPI(
    title="LMN API",
    version="1",
    urls_namespace="api",
    description=(
        "Förskrivning och beställning av läkemedelsnära produkter. "
        "Logga in med POST /auth/token och skicka sedan `Authorization: Bearer <token>`. "
        'Fel svarar alltid `{"errors": [{"code", "field", "message"}]}`.'
    ),
    auth=BearerToken(),
    parser=errors.StrictJsonParser(),
)
errors.install(api)

api.add_router("/auth", auth.router)
api.add_router("/patients", patients.router)
api.add_router("/products", products.router)
api.add_router("/prescriptions", prescriptions.router)
api.add_router("/withdrawals", withdrawals.router)
api.add_router("/pickup-points", pickup_points.router)
api.add_router("/distributor", distributor.router)
api.add_router("/access-applications", applications.access_router)
api.add_router("/unit-applications", applications.unit_router)
api.add_router("/wards", wards.wards_router)
api.add_router("/joint-orders", wards.joint_router)
api.add_router("/cases", cases.router)
api.add_router("/follow-ups", follow_ups.router)
