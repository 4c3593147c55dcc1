"""Patient, following HL7 Sweden's SEBasePatient (basprofiler 1.1.0).

Identifiers: personnummer and samordningsnummer with the guide's systems, the LMA number
as its SEBaseLMANummer identifier; people without a number (UT-4) and protected
identities registered by their unit (SKYDD-2) carry no identifier. A protected identity
is visible only inside its unit (patients_visible_to, SKYDD-1); there it carries the
guide's security label skyddadFolkbokforing and no address.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.patients.models import IdentityKind, Patient
from lmn.patients.services import find_patient_by_identifier, get_patient

from .. import codes
from ..outcome import FhirError, fhir_response
from ..routing import endpoint
from ..search import int_id, parse_search, searchset
from .common import human_name

_SYSTEMS = {
    IdentityKind.PERSONNUMMER: codes.PERSONNUMMER,
    IdentityKind.SAMORDNINGSNUMMER: codes.SAMORDNINGSNUMMER,
    IdentityKind.LMA: codes.LMA_NUMMER,
}
SEARCH_PARAMS = ("identifier",)


def identifier_of(p: Patient) -> dict[str, Any] | None:
    system = _SYSTEMS.get(p.identity_kind)  # type: ignore[call-overload]
    if system is None:
        return None
    value = p.identifier
    if p.identity_kind == IdentityKind.LMA:
        value = f"{value[:2]}-{value[2:]}" + (
            f"/{p.lma_card_sequence}" if p.lma_card_sequence else ""
        )
    return {"use": "official", "system": system, "value": value}


def patient(p: Patient) -> dict[str, Any]:
    meta: dict[str, Any] = {"profile": [codes.SE_BASE_PATIENT]}
    out: dict[str, Any] = {"resourceType": "Patient", "id": str(p.pk), "meta": meta}
    ident = identifier_of(p)
    if ident:
        out["identifier"] = [ident]
    out["active"] = True
    out["name"] = [human_name(p.first_name, p.last_name)]
    out["birthDate"] = p.birth_date.isoformat()
    if p.deceased_on:
        out["deceasedDateTime"] = p.deceased_on.isoformat()
    if p.protected:
        # only ever rendered inside the unit (SKYDD-1): labelled, and no address
        meta["security"] = [
            {
                "system": codes.SECURITY_LABEL,
                "code": codes.PROTECTED_REGISTRATION,
                "display": "Skyddad folkbokföring",
            }
        ]
    elif p.street:
        out["address"] = [
            {
                "use": "home",
                "type": "both",
                "line": [p.street],
                "postalCode": p.postcode,
                "city": p.city,
                "country": "SE",
            }
        ]
    return out


@endpoint(("GET",))
def read(request: HttpRequest, actor: Actor, patient_id: str) -> HttpResponse:
    pk = int_id(patient_id)
    if pk is None:
        raise FhirError(404, "not_found", "Hittades inte.", issue_type="not-found")
    return fhir_response(patient(get_patient(pk, actor=actor)))


@endpoint(("GET",))
def search(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Patient?identifier=system|value, or the value alone in any common form (the same
    lookup as the API: imported from the register on first lookup, every lookup audited)."""
    s = parse_search(request, SEARCH_PARAMS)
    raw = s.get("identifier")
    if not raw:
        raise FhirError(
            400,
            "search_parameter_required",
            "Ange identifier (personnummer, samordningsnummer eller LMA-nummer).",
            field="identifier",
        )
    system, _, value = raw.rpartition("|")
    if system and system not in _SYSTEMS.values():
        found = None  # a system we do not hold identifies nobody here
    else:
        try:
            found = find_patient_by_identifier(value, actor=actor)
        except DomainError as e:
            raise FhirError(
                400, e.problems[0].code, e.problems[0].message, field="identifier"
            ) from None
        if found is not None and system and _SYSTEMS.get(found.identity_kind) != system:  # type: ignore[call-overload]
            found = None
    rows = [patient(found)] if found is not None and s.offset == 0 and s.count else []
    return fhir_response(searchset(request, "Patient", s, 1 if found else 0, rows))
