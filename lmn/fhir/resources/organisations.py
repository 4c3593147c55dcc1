"""Organization (a prescribing unit), Practitioner (a staff user) and PractitionerRole
(a membership: role, unit, product areas). Read and search by every staff role; no
contact details of prescribers are given out (CON-2)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from lmn.accounts.models import Membership, User
from lmn.core.actor import Actor, Role
from lmn.organisations.models import PrescribingUnit

from .. import codes
from ..outcome import FhirError, fhir_response
from ..routing import endpoint
from ..search import Search, int_id, page, parse_search, reference_id, searchset
from .common import human_name, ref

ORGANIZATION_PARAMS = ("identifier", "name")
PRACTITIONER_PARAMS = ("identifier",)
ROLE_PARAMS = ("practitioner", "organization", "role")


def organization(u: PrescribingUnit) -> dict[str, Any]:
    identifiers = [{"use": "official", "system": codes.CUSTOMER_NUMBER, "value": u.customer_number}]
    if u.hsa_id:
        identifiers.append({"use": "official", "system": codes.HSA_ID, "value": u.hsa_id})
    out: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(u.pk),
        "identifier": identifiers,
        "active": u.active,
        "type": [{"text": u.get_kind_display()}],
        "name": u.name,
        "address": [{"use": "work", "line": [u.street], "postalCode": u.postcode, "city": u.city}],
    }
    return out


def practitioner(user: User) -> dict[str, Any]:
    out: dict[str, Any] = {"resourceType": "Practitioner", "id": str(user.pk)}
    if user.hsa_id:
        out["identifier"] = [{"use": "official", "system": codes.HSA_ID, "value": user.hsa_id}]
    out["active"] = user.is_active
    out["name"] = [human_name(user.first_name, user.last_name)]
    return out


def practitioner_role(m: Membership) -> dict[str, Any]:
    user = m.user
    out: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": str(m.pk),
        "active": m.active,
        "practitioner": ref("Practitioner", user.pk, f"{user.first_name} {user.last_name}"),
    }
    if m.unit is not None:
        out["organization"] = ref("Organization", m.unit.pk, m.unit.name)
    out["code"] = [
        {"coding": [{"system": codes.ROLE, "code": m.role, "display": Role.LABELS.get(m.role, "")}]}
    ]
    areas = sorted(m.areas.all(), key=lambda a: a.sort_order)
    if areas:
        out["specialty"] = [
            {"coding": [{"system": codes.PRODUCT_AREA, "code": a.code, "display": a.name}]}
            for a in areas
        ]
    return out


def _identifier_value(s: Search, system: str) -> str | None:
    raw = s.get("identifier")
    if not raw:
        return None
    given_system, _, value = raw.rpartition("|")
    if given_system and given_system != system:
        return ""
    return value


def _not_found() -> FhirError:
    return FhirError(404, "not_found", "Hittades inte.", issue_type="not-found")


@endpoint(("GET",))
def read_organization(request: HttpRequest, actor: Actor, organization_id: str) -> HttpResponse:
    unit = PrescribingUnit.objects.filter(pk=int_id(organization_id) or 0).first()
    if unit is None:
        raise _not_found()
    return fhir_response(organization(unit))


@endpoint(("GET",))
def search_organizations(request: HttpRequest, actor: Actor) -> HttpResponse:
    s = parse_search(request, ORGANIZATION_PARAMS)
    qs = PrescribingUnit.objects.order_by("customer_number")
    raw = s.get("identifier")
    if raw:
        system, _, value = raw.rpartition("|")
        if system == codes.HSA_ID:
            qs = qs.filter(hsa_id=value)
        elif system == codes.CUSTOMER_NUMBER:
            qs = qs.filter(customer_number=value)
        elif not system:
            qs = qs.filter(Q(customer_number=value) | Q(hsa_id=value))
        else:
            qs = qs.none()
    if s.get("name"):
        qs = qs.filter(name__icontains=s.get("name"))
    rows = [organization(u) for u in page(qs, s)]
    return fhir_response(searchset(request, "Organization", s, qs.count(), rows))


def _staff() -> QuerySet[User]:
    return User.objects.filter(memberships__isnull=False).distinct().order_by("pk")


@endpoint(("GET",))
def read_practitioner(request: HttpRequest, actor: Actor, practitioner_id: str) -> HttpResponse:
    user = _staff().filter(pk=int_id(practitioner_id) or 0).first()
    if user is None:
        raise _not_found()
    return fhir_response(practitioner(user))


@endpoint(("GET",))
def search_practitioners(request: HttpRequest, actor: Actor) -> HttpResponse:
    s = parse_search(request, PRACTITIONER_PARAMS)
    qs = _staff()
    value = _identifier_value(s, codes.HSA_ID)
    if value is not None:
        qs = qs.filter(hsa_id=value) if value else qs.none()
    rows = [practitioner(u) for u in page(qs, s)]
    return fhir_response(searchset(request, "Practitioner", s, qs.count(), rows))


def _memberships() -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("user", "unit").prefetch_related("areas").order_by("pk")
    )


@endpoint(("GET",))
def read_role(request: HttpRequest, actor: Actor, role_id: str) -> HttpResponse:
    m = _memberships().filter(pk=int_id(role_id) or 0).first()
    if m is None:
        raise _not_found()
    return fhir_response(practitioner_role(m))


@endpoint(("GET",))
def search_roles(request: HttpRequest, actor: Actor) -> HttpResponse:
    s = parse_search(request, ROLE_PARAMS)
    qs = _memberships()
    if s.get("practitioner"):
        qs = qs.filter(user_id=int_id(reference_id(s.get("practitioner"), "Practitioner")) or 0)
    if s.get("organization"):
        qs = qs.filter(unit_id=int_id(reference_id(s.get("organization"), "Organization")) or 0)
    if s.get("role"):
        qs = qs.filter(role=s.get("role").rpartition("|")[2])
    rows = [practitioner_role(m) for m in page(qs, s)]
    return fhir_response(searchset(request, "PractitionerRole", s, qs.count(), rows))
