"""The authorization matrix: every route × role × data scope, from the policies declared
beside the routes (lmn/web/urls.py, lmn/api/routes/*.py).

For each route of the portal and the API, every staff role is tried:
- a role the table does not allow gets 403, and the denial is audited;
- an allowed role is not refused, and for routes that read patient data, each data
  scope answers as the scoping rule says: a visible patient's data is served (and the
  read audited); a protected patient's only inside the patient's unit (the distributor
  ships them, without the patient, SKYDD-5/6); elsewhere, and for what does not exist,
  404 with the very same body as for a missing record (SKYDD-1), also audited.
Mismatches are collected per route and the test fails on any.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lmn.accounts.models import Membership, User
from lmn.accounts.services import issue_token
from lmn.audit.models import AuditEvent
from lmn.config.urls import UNLISTED_PREFIXES, route_policies
from lmn.core import clock
from lmn.core.actor import Role
from lmn.core.authorization import STAFF
from lmn.delivery.details import DeliveryRequest
from lmn.testing import factories as f
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

POLICY = route_policies()
FHIR_LMN = "https://lmn.vgregion.se/fhir"


def all_routes() -> Iterator[str]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    for route in walk(get_resolver().url_patterns, ""):
        if not route.startswith(UNLISTED_PREFIXES):
            yield route


def test_every_route_declares_a_policy() -> None:
    missing = sorted(set(all_routes()) - set(POLICY))
    assert missing == [], f"routes without a policy where they are declared: {missing}"


def test_every_policy_names_a_route() -> None:
    stale = sorted(set(POLICY) - set(all_routes()))
    assert stale == [], f"policies for routes that no longer exist: {stale}"


# --- the matrix -----------------------------------------------------------------------

PROTECTED_MARKER = "Skyddadsson"


@dataclass
class Matrix:
    unit: Any
    users: dict[str, Any]  # role -> user
    visible: dict[str, Any]  # "patient", "prescription", "withdrawal" -> object
    protected: dict[str, Any]
    missing: dict[str, Any]


@pytest.fixture
def matrix(world: Any) -> Matrix:
    unit = world.unit
    users = {
        Role.PRESCRIBER: world.prescriber,
        Role.DOCTOR: world.doctor,
        Role.ORDERER: world.orderer,
        Role.CUSTOMER_SERVICE: world.customer_service,
        Role.ADMIN: f.make_user("admin-m", role=Role.ADMIN, unit=None),
        Role.HEAD_OF_UNIT: f.make_user("head-m", role=Role.HEAD_OF_UNIT, unit=unit),
        Role.AUDITOR: f.make_user("auditor-m", role=Role.AUDITOR, unit=None),
        Role.DISTRIBUTOR: f.make_user("depot-m", role=Role.DISTRIBUTOR, unit=None),
        # the payer's contact: the payer of the unit's diabetes products (UNIT-2)
        Role.PAYER: f.make_payer_contact(
            unit.payers.get(product_area__code="diabetes").payer, "payer-m"
        ),
    }
    assert set(users) == STAFF
    # CON-3's e-mail gate is tested on its own; here every persona has verified
    User.objects.update(email_verified_at=clock.now(), email_verified_address=F("email"))
    hidden = f.make_patient(
        f.PERSONNUMMER[5], protected=True, protected_unit=unit, last_name=PROTECTED_MARKER
    )

    def records(patient: Any, delivery: DeliveryRequest) -> dict[str, Any]:
        rx = f.make_prescription(
            patient=patient,
            product=world.diabetes_product,
            prescriber=world.prescriber,
            unit=unit,
        )
        w, _ = place_withdrawal(
            WithdrawalDraft(patient=patient, lines=[LineDraft(rx.pk, 10)], delivery=delivery),
            actor=world.actor(world.prescriber),
        )
        return {"patient": patient, "prescription": rx, "withdrawal": w}

    visible = records(world.patient, DeliveryRequest())
    # the ward's orderer reads the health centre's records by care relationship (PDL-1)
    f.in_care(world.patient, world.orderer)
    protected = records(hidden, DeliveryRequest(destination="unit", care_of="Eva Ansvarig"))

    class Missing:
        pk = 999_999
        number = "U99999999"
        identifier = "194001018805"  # valid, in no register

    missing = {k: Missing() for k in ("patient", "prescription", "withdrawal")}
    for objects in (visible, protected, missing):
        objects["article_number"] = world.diabetes_product.article_number
    return Matrix(unit, users, visible, protected, missing)


PARAM_KINDS = {
    "patient_id": "patient",
    "prescription_id": "prescription",
    "number": "withdrawal",
    "supply_request_id": "withdrawal",  # FHIR: a withdrawal's first line, "<number>-1"
}
TOKEN_ROUTES = ("api/", "fhir/")  # bearer tokens; the rest is the portal's session
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def url_for(route: str, objects: dict[str, Any]) -> str:
    """The route with its parameters filled from `objects`.

    A parameter that names no patient data (a case, an application, a ward…) gets a
    placeholder: those routes are checked on the role column only.
    """

    def fill(match: re.Match[str]) -> str:
        kind = PARAM_KINDS.get(match.group(1))
        if kind is None:
            return "1"
        obj = objects[kind]
        if match.group(1) == "supply_request_id":
            return f"{obj.number}-1"
        return str(obj.number if kind == "withdrawal" else obj.pk)

    return "/" + _PARAM.sub(fill, route)


def scoped_by_path(route: str) -> bool:
    names = _PARAM.findall(route)
    return bool(names) and all(n in PARAM_KINDS for n in names)


def api_methods(route: str) -> list[str]:
    from lmn.api.urls import api

    path = "/" + _PARAM.sub(lambda m: "{" + m.group(1) + "}", route)
    return [m.upper() for m in api.get_openapi_schema()["paths"].get(path, {"get": {}})]


def fhir_methods(route: str) -> list[str]:
    from lmn.fhir.routing import METHODS

    return list(METHODS[route])


def client_as(user: Any, route: str) -> Client:
    membership = Membership.objects.filter(user=user, active=True).first()
    assert membership is not None
    if route.startswith(TOKEN_ROUTES):
        key, _ = issue_token(membership)
        return Client(headers={"Authorization": f"Bearer {key}"})
    client = Client()
    client.force_login(user)
    return client


def call(client: Client, method: str, url: str, body: dict[str, Any] | None) -> Any:
    if method == "GET":
        return client.get(url)
    if url.startswith("/fhir/"):
        return client.post(
            url,
            json.dumps(body or {}),
            content_type="application/fhir+json",
            headers={"Idempotency-Key": "matrix"},
        )
    if url.startswith("/api/"):
        return client.post(
            url,
            json.dumps(body or {}),
            content_type="application/json",
            headers={"Idempotency-Key": "matrix"},
        )
    return client.post(url, body or {})


# valid bodies, so that what decides the answer is who asks and about whom
BODIES: dict[str, Any] = {
    "api/v1/prescriptions": lambda o: {
        "patient_id": o["patient"].pk,
        "article_number": o["article_number"],
        "consumption": {"amount": 1, "per": "day"},
    },
    "api/v1/withdrawals": lambda o: {
        "patient_id": o["patient"].pk,
        "lines": [{"prescription_id": o["prescription"].pk, "quantity": 1}],
        "delivery": {"destination": "unit", "speed": "standard", "care_of": "Eva Ansvarig"},
    },
    "api/v1/distributor/withdrawals/<number>/events": lambda o: {"event": "picked"},
    "api/v1/distributor/withdrawals/<number>/collection": lambda o: {
        "code": "0000",
        "collector": "recipient",
        "recipient_id_shown": True,
        "collector_id_shown": False,
        "id_document": "pass",
    },
}
BODIES["api/v1/withdrawals/preview"] = BODIES["api/v1/withdrawals"]
BODIES["api/v1/withdrawals/<number>/delivery"] = lambda o: (
    {"destination": "unit", "care_of": "Eva Ansvarig"}
    if getattr(o["patient"], "protected", False)
    else {"destination": "door", "door_code": "4711"}
)
BODIES["api/v1/patients/<patient_id>/conversion"] = lambda o: {
    "kind": "personnummer",
    "identifier": "19400101-8805",
}
# issue 15: the prescription's life; a version or date that no longer fits answers 422
_RX = "api/v1/prescriptions/<prescription_id>/"
_CONSUMPTION = {"amount": 1, "per": "day"}
BODIES[_RX + "change"] = lambda o: {
    "based_on_version": 1,
    "consumption": _CONSUMPTION,
    "valid_until": "2099-01-01",
    "max_supply_days": 90,
}
BODIES[_RX + "renew"] = lambda o: {"based_on_version": 1}
BODIES[_RX + "end"] = lambda o: {
    "based_on_version": 1,
    "reason": "wrong_entry",
    "stop_open_withdrawals": False,
}
BODIES[_RX + "replace"] = lambda o: {
    "based_on_version": 1,
    "stop_open_withdrawals": False,
    "article_number": o["article_number"],
    "consumption": _CONSUMPTION,
}
BODIES[_RX + "moves"] = lambda o: {"based_on_version": 1, "to_unit": "604500"}
BODIES["api/v1/patients/<patient_id>/care-relationship"] = lambda o: {"reason": "Besök"}
BODIES["fhir/r4/SupplyRequest"] = lambda o: {
    "resourceType": "SupplyRequest",
    "itemCodeableConcept": {"text": "matrix"},
    "quantity": {"value": 1},
    "reasonReference": [{"reference": f"DeviceRequest/{o['prescription'].pk}"}],
    **(
        {
            "extension": [
                {"url": f"{FHIR_LMN}/StructureDefinition/leveransmal", "valueCode": "unit"},
                {
                    "url": f"{FHIR_LMN}/StructureDefinition/leveransuppgift-care_of",
                    "valueString": "Eva Ansvarig",
                },
            ]
        }
        if getattr(o["patient"], "protected", False)
        else {}
    ),
}
BODIES["fhir/r4/DeviceRequest"] = lambda o: {
    "resourceType": "DeviceRequest",
    "status": "active",
    "intent": "order",
    "codeCodeableConcept": {
        "coding": [{"system": f"{FHIR_LMN}/CodeSystem/artikelnummer", "code": o["article_number"]}]
    },
    "subject": {"reference": f"Patient/{o['patient'].pk}"},
    "parameter": [
        {
            "code": {
                "coding": [{"system": f"{FHIR_LMN}/CodeSystem/parameter", "code": "forbrukning"}]
            },
            "valueQuantity": {"value": 1, "code": "/d"},
        }
    ],
}
# scoped by a query parameter rather than the path
QUERIES: dict[str, Any] = {
    "api/v1/patients": lambda o: f"?identifier={o['patient'].identifier}",
    "fhir/r4/Patient": lambda o: f"?identifier={o['patient'].identifier}",
    "fhir/r4/DeviceRequest": lambda o: f"?patient=Patient/{o['patient'].pk}",
    "fhir/r4/SupplyRequest": lambda o: f"?patient=Patient/{o['patient'].pk}",
    "fhir/r4/SupplyDelivery": lambda o: f"?patient={o['patient'].pk}",
    "fhir/r4/AuditEvent": lambda o: f"?patient={o['patient'].pk}",
}


def requests_for(route: str, objects: dict[str, Any]) -> list[tuple[str, str, Any]]:
    url = url_for(route, objects)
    body = BODIES[route](objects) if route in BODIES else {}
    if route in QUERIES:
        url += QUERIES[route](objects)
    if route.startswith("api/"):
        return [(m, url, body) for m in api_methods(route)]
    if route.startswith("fhir/"):
        return [(m, url, body) for m in fhir_methods(route)]
    return [("GET", url, body), ("POST", url, body)]


def audit_count() -> int:
    return AuditEvent.objects.count()


def sees_protected(role: str, user: Any, matrix: Matrix, reads: str) -> bool:
    if role == Role.DISTRIBUTOR and reads == "withdrawal":
        return True  # ships them to the unit (SKYDD-5), shown no patient (SKYDD-6)
    return Membership.objects.filter(user=user, unit=matrix.unit, active=True).exists()


SCOPED_ROUTES = sorted(r for r, p in POLICY.items() if not p.public)


@pytest.mark.rule("SKYDD-1")
@pytest.mark.parametrize("route", SCOPED_ROUTES)
def test_authorization_matrix(route: str, matrix: Matrix) -> None:
    policy = POLICY[route]
    mismatches: list[str] = []
    has_scope = bool(policy.reads) and scoped_by_path(route)
    for role, user in matrix.users.items():
        for method, url, body in requests_for(route, matrix.visible):
            # a query scopes a search (GET); a POST to the same route by its body
            body_scoped = route in BODIES or (route in QUERIES and method == "GET")
            allowed = policy.allows(role, method)
            before = audit_count()
            response = call(client_as(user, route), method, url, body)
            status = response.status_code
            if not allowed:
                if status != 403:
                    mismatches.append(f"{role} {method}: {status}, expected 403")
                elif audit_count() == before:
                    mismatches.append(f"{role} {method}: 403 not audited")
                continue
            if status == 403 or status >= 500:
                mismatches.append(f"{role} {method}: {status} for an allowed role")
                continue
            if status == 405 or not (has_scope or body_scoped):
                continue
            if has_scope and method == "GET" and status != 200:
                mismatches.append(f"{role} {method}: {status}, expected the page (200)")
            if status < 300 and method == "GET" and audit_count() == before:
                mismatches.append(f"{role} {method}: a read of patient data left no audit")
            if status == 200 and method == "GET" and route.startswith("api/"):
                mismatches += _check_fields(route, role, response, matrix)
            mismatches += _check_scopes(route, role, user, method, matrix, body_scoped)
    assert mismatches == [], f"{route}: " + "; ".join(mismatches)


def _documented_fields(route: str) -> list[set[str]]:
    """The field sets the OpenAPI document promises for a GET's 200 answer (of the items,
    for lists; one set per alternative where the answer has several shapes)."""
    from lmn.api.urls import api

    doc = api.get_openapi_schema()
    path = "/" + _PARAM.sub(lambda m: "{" + m.group(1) + "}", route)
    responses = doc["paths"][path]["get"]["responses"]
    content = (responses.get(200) or responses.get("200") or {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")

    def shapes(node: dict[str, Any]) -> list[set[str]]:
        if "anyOf" in node:
            return [s for alt in node["anyOf"] for s in shapes(alt)]
        if node.get("type") == "array":
            return shapes(node["items"])
        if "$ref" in node:
            return shapes(doc["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]])
        return [set(node["properties"])] if node.get("properties") else []

    return shapes(schema) if schema else []


def _check_fields(route: str, role: str, response: Any, matrix: Matrix) -> list[str]:
    """Exactly the documented fields, and for one record exactly the record asked for."""
    if not response["Content-Type"].startswith("application/json"):
        return []
    shapes = _documented_fields(route)
    body = response.json()
    rows = body if isinstance(body, list) else [body]
    out = []
    for row in rows:
        if shapes and isinstance(row, dict) and set(row) not in shapes:
            out.append(f"{role} GET: fields {sorted(row)} are not the documented ones")
            break
    if isinstance(body, dict) and scoped_by_path(route):
        kind = PARAM_KINDS[_PARAM.findall(route)[0]]
        expected = matrix.visible[kind]
        key, value = ("number", expected.number) if kind == "withdrawal" else ("id", expected.pk)
        if body.get(key) != value:
            out.append(f"{role} GET: answered {key}={body.get(key)!r}, asked for {value!r}")
    return out


def _check_scopes(
    route: str, role: str, user: Any, method: str, matrix: Matrix, body_scoped: bool
) -> list[str]:
    policy = POLICY[route]
    out: list[str] = []
    results = {}
    for scope, objects in (("protected", matrix.protected), ("missing", matrix.missing)):
        for m, url, body in requests_for(route, objects):
            if m != method:
                continue
            before = audit_count()
            response = call(client_as(user, route), m, url, body)
            results[scope] = response
            expect_visible = scope == "protected" and sees_protected(
                role, user, matrix, policy.reads
            )
            if expect_visible:
                if response.status_code in (403, 404) or response.status_code >= 500:
                    out.append(f"{role} {m} {scope}: {response.status_code}, expected served")
                elif PROTECTED_MARKER.encode() in response.content and role == Role.DISTRIBUTOR:
                    out.append(f"{role} {m} {scope}: the distributor saw the patient's name")
                continue
            if route in QUERIES and route.startswith("fhir/") and m == "GET":
                # a FHIR search: an empty searchset Bundle rather than 404
                found = response.json() if response.status_code == 200 else {}
                if found.get("total") != 0 or found.get("entry"):
                    out.append(f"{role} {m} {scope}: {response.status_code}, expected total 0")
            elif route in QUERIES and m == "GET":  # a search: nothing found rather than 404
                if response.status_code != 200 or response.json() != []:
                    out.append(f"{role} {m} {scope}: {response.status_code}, expected []")
            elif response.status_code != 404:
                out.append(f"{role} {m} {scope}: {response.status_code}, expected 404")
            if audit_count() == before:
                out.append(f"{role} {m} {scope}: the 404 was not audited")
            if PROTECTED_MARKER.encode() in response.content:
                out.append(f"{role} {m} {scope}: the protected patient leaked")
    hidden, missing = results.get("protected"), results.get("missing")
    if (
        route.startswith(TOKEN_ROUTES)
        and hidden is not None
        and missing is not None
        and hidden.status_code == 404
        and hidden.content != missing.content
    ):
        out.append(f"{role} {method}: a protected record answers unlike a missing one")
    return out
