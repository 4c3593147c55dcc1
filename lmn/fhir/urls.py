"""The FHIR routes, mounted at /fhir/r4/ by lmn.config.urls, each with its policy.

POLICIES (lmn.fhir.routing) is filled here, beside the routes; BearerToken (lmn.api.auth)
enforces it before a view runs (403, audited). What an allowed role then sees is scoped by
the same `*_visible_to` queries as the API: out of scope answers like missing (404).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from lmn.core.actor import Role
from lmn.core.authorization import (
    CUSTOMER_SERVICE,
    ORDERERS,
    PATIENT_READERS,
    PRESCRIBERS,
    STAFF,
    RoutePolicy,
    public_route,
)

from . import capability
from .outcome import refusal
from .resources import audit, deliveries, organisations, patients, prescriptions, supply_views
from .routing import METHODS, NOT_FOUND, POLICIES, View, endpoint
from .search import MOUNT

AUDITORS = frozenset({Role.AUDITOR}) | CUSTOMER_SERVICE  # PDL-4: the log extract


@endpoint(("GET", "POST", "PUT", "PATCH", "DELETE"), public=True)
def unknown(request: HttpRequest, actor: None, rest: str) -> HttpResponse:
    """Any other path below the base: an OperationOutcome, never Django's HTML page."""
    return refusal(404, [NOT_FOUND], issue_type="not-found")


ROUTES: list[tuple[str, View, RoutePolicy, tuple[str, ...]]] = [
    ("metadata", capability.metadata, public_route(), ("GET",)),
    ("Patient", patients.search, RoutePolicy(PATIENT_READERS, "patient"), ("GET",)),
    ("Patient/<patient_id>", patients.read, RoutePolicy(PATIENT_READERS, "patient"), ("GET",)),
    ("Organization", organisations.search_organizations, RoutePolicy(STAFF), ("GET",)),
    (
        "Organization/<organization_id>",
        organisations.read_organization,
        RoutePolicy(STAFF),
        ("GET",),
    ),
    ("Practitioner", organisations.search_practitioners, RoutePolicy(STAFF), ("GET",)),
    (
        "Practitioner/<practitioner_id>",
        organisations.read_practitioner,
        RoutePolicy(STAFF),
        ("GET",),
    ),
    ("PractitionerRole", organisations.search_roles, RoutePolicy(STAFF), ("GET",)),
    ("PractitionerRole/<role_id>", organisations.read_role, RoutePolicy(STAFF), ("GET",)),
    (
        "DeviceRequest",
        prescriptions.collection,
        # only prescribers prescribe (ACC-2); every patient reader reads
        RoutePolicy(PATIENT_READERS, "patient", methods={"POST": PRESCRIBERS}, refusal="ACC-2"),
        ("GET", "POST"),
    ),
    (
        "DeviceRequest/<prescription_id>",
        prescriptions.read,
        RoutePolicy(PATIENT_READERS, "prescription"),
        ("GET",),
    ),
    (
        "SupplyRequest",
        supply_views.collection,
        RoutePolicy(PATIENT_READERS, "patient", methods={"POST": ORDERERS}, refusal="ACC-2"),
        ("GET", "POST"),
    ),
    (
        "SupplyRequest/<supply_request_id>",
        supply_views.read,
        RoutePolicy(PATIENT_READERS, "withdrawal"),
        ("GET",),
    ),
    ("SupplyDelivery", deliveries.search, RoutePolicy(PATIENT_READERS, "patient"), ("GET",)),
    (
        "SupplyDelivery/<delivery_id>",
        deliveries.read,
        RoutePolicy(PATIENT_READERS, "withdrawal"),
        ("GET",),
    ),
    ("AuditEvent", audit.search, RoutePolicy(AUDITORS, "patient", refusal="PDL-4"), ("GET",)),
    ("<path:rest>", unknown, public_route(), ("GET",)),
]

urlpatterns: list[URLPattern] = []
for route, view, policy, methods in ROUTES:
    urlpatterns.append(path(route, view))
    POLICIES[MOUNT + route] = policy
    METHODS[MOUNT + route] = methods
