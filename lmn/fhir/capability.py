"""GET /fhir/r4/metadata: the CapabilityStatement, listing exactly what is served."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from lmn.core import clock

from . import codes
from .outcome import fhir_response
from .routing import endpoint
from .search import base_url

# type → (profile, interactions, search parameters with their types)
SUPPORTED: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "Patient": (codes.SE_BASE_PATIENT, ("read", "search-type"), {"identifier": "token"}),
    "Organization": ("", ("read", "search-type"), {"identifier": "token", "name": "string"}),
    "Practitioner": ("", ("read", "search-type"), {"identifier": "token"}),
    "PractitionerRole": (
        "",
        ("read", "search-type"),
        {"practitioner": "reference", "organization": "reference", "role": "token"},
    ),
    "DeviceRequest": (
        "",
        ("read", "search-type", "create"),
        {"patient": "reference", "subject": "reference", "status": "token", "identifier": "token"},
    ),
    "SupplyRequest": (
        "",
        ("read", "search-type", "create"),
        {"patient": "reference", "identifier": "token", "status": "token", "date": "date"},
    ),
    "SupplyDelivery": (
        "",
        ("read", "search-type"),
        {"patient": "reference", "based-on": "reference", "status": "token"},
    ),
    "AuditEvent": ("", ("search-type",), {"patient": "reference"}),
}


def _resource(kind: str) -> dict[str, Any]:
    profile, interactions, params = SUPPORTED[kind]
    out: dict[str, Any] = {"type": kind}
    if profile:
        out["supportedProfile"] = [profile]
    out["interaction"] = [{"code": code} for code in interactions]
    if kind == "SupplyRequest":  # If-None-Exist on identifier (or an Idempotency-Key)
        out["conditionalCreate"] = True
    out["searchParam"] = [{"name": n, "type": t} for n, t in params.items()]
    return out


def capability_statement(request: HttpRequest) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": clock.today().isoformat(),
        "publisher": "LMN",
        "kind": "instance",
        "implementation": {
            "description": "LMN – läkemedelsnära produkter, FHIR R4",
            "url": base_url(request),
        },
        "fhirVersion": codes.FHIR_VERSION,
        "format": [codes.FHIR_JSON],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "description": "Authorization: Bearer <token> från POST /api/v1/auth/token",
                },
                "resource": [_resource(kind) for kind in SUPPORTED],
            }
        ],
    }


@endpoint(("GET",), public=True)
def metadata(request: HttpRequest, actor: None) -> HttpResponse:
    return fhir_response(capability_statement(request))
