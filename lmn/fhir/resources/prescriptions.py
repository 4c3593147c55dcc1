"""DeviceRequest: a prescription (förskrivning, GEN-2).

- codeCodeableConcept: the product, coded by its article number;
- parameter[0] "forbrukning": the consumption as a quantity per period, UCUM `/d`, `/wk`
  or `/mo` (e.g. 2 per day); parameter[1] "max-forsorjning": the longest supply in days;
- occurrencePeriod: the validity; status: active, completed (expired) or revoked (ended);
- requester: the prescriber's PractitionerRole at the prescribing unit (Organization);
- identifier: the reference F + 8 digits the prescriber documents in the journal.
Create is refused with the same rule codes as the REST API (the same service decides).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from fhir.resources.R4B.devicerequest import DeviceRequest

from lmn.accounts.models import Membership
from lmn.audit.models import AuditEvent
from lmn.audit.services import Shown, record, record_many
from lmn.catalog.models import Product
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound
from lmn.patients.queries import patients_visible_to
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.queries import prescriptions_visible_to
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.prescriptions.states import PrescriptionStatus

from .. import codes
from ..outcome import FhirError, fhir_response
from ..parsing import check_code, read_resource
from ..routing import endpoint
from ..search import base_url, int_id, page, parse_search, reference_id, searchset
from .common import instant, product_concept, ref

UCUM = "http://unitsofmeasure.org"
PARAMETER = f"{codes.LMN}/CodeSystem/parameter"
_PERIOD_TO_UCUM = {"day": "/d", "week": "/wk", "month": "/mo"}
_UCUM_TO_PERIOD = {v: k for k, v in _PERIOD_TO_UCUM.items()}
_PERIOD_TEXT = {"day": "dag", "week": "vecka", "month": "månad"}
SEARCH_PARAMS = ("patient", "subject", "status", "identifier")


def status_of(p: Prescription) -> str:
    if p.status == PrescriptionStatus.ENDED:
        return "revoked"
    return "completed" if p.valid_until < clock.today() else "active"


def _requester(p: Prescription) -> dict[str, Any]:
    name = f"{p.prescriber.first_name} {p.prescriber.last_name}"
    role = (
        Membership.objects.filter(user_id=p.prescriber_id, unit_id=p.unit_id)
        .values_list("pk", flat=True)
        .first()
    )
    if role is not None:
        return ref("PractitionerRole", role, f"{name}, {p.unit.name}")
    return ref("Practitioner", p.prescriber_id, name)


def device_request(p: Prescription) -> dict[str, Any]:
    unit_name = p.product.ordering_unit or "st"
    out: dict[str, Any] = {
        "resourceType": "DeviceRequest",
        "id": str(p.pk),
        "meta": {"versionId": str(p.version)},  # RX-1: each change is a new version
        "identifier": [{"system": codes.PRESCRIPTION_ID, "value": p.reference}],
        "status": status_of(p),
        "intent": "order",
        "codeCodeableConcept": product_concept(p.product),
        "parameter": [
            {
                "code": {
                    "coding": [{"system": PARAMETER, "code": "forbrukning"}],
                    "text": "Förbrukning",
                },
                "valueQuantity": {
                    "value": p.consumption_amount,
                    "unit": f"{unit_name} per {_PERIOD_TEXT[p.consumption_period]}",
                    "system": UCUM,
                    "code": _PERIOD_TO_UCUM[p.consumption_period],
                },
            },
            {
                "code": {
                    "coding": [{"system": PARAMETER, "code": "max-forsorjning"}],
                    "text": "Längsta försörjningstid",
                },
                "valueQuantity": {
                    "value": p.max_supply_days,
                    "unit": "dagar",
                    "system": UCUM,
                    "code": "d",
                },
            },
        ],
        "subject": ref("Patient", p.patient_id),
        "occurrencePeriod": {"start": p.valid_from.isoformat(), "end": p.valid_until.isoformat()},
        "authoredOn": instant(p.created_at),
        "requester": _requester(p),
    }
    if p.instructions:
        out["note"] = [{"text": p.instructions}]
    if p.replaces_id:  # RX-1: a replaced product's prescription, ended in the same step
        out["priorRequest"] = [ref("DeviceRequest", p.replaces_id)]
    return out


def _audit_read(p: Prescription | None, *, actor: Actor, asked: object) -> None:
    if p is None:
        record(
            "prescriptions.prescription.read",
            actor=actor,
            outcome=AuditEvent.Outcome.NOT_FOUND,
            channel="fhir",
            data={"prescription_id": str(asked)[:40]},
        )
        raise NotFound()
    record("prescriptions.prescription.read", actor=actor, patient=p.patient, obj=p, channel="fhir")


@endpoint(("GET",))
def read(request: HttpRequest, actor: Actor, prescription_id: str) -> HttpResponse:
    pk = int_id(prescription_id)
    p = prescriptions_visible_to(actor).select_related("prescriber").filter(pk=pk or 0).first()
    _audit_read(p, actor=actor, asked=prescription_id)
    assert p is not None
    return fhir_response(device_request(p))


def visible_patient_param(raw: str, *, actor: Actor, resource: str) -> Any:
    """The patient a `patient=` search names, or None. The search is audited either way:
    that a patient has no such records is itself something learnt about the patient."""
    pk = int_id(reference_id(raw, "Patient"))
    found = patients_visible_to(actor).filter(pk=pk or 0).first()
    record(
        f"fhir.{resource}.searched",
        actor=actor,
        patient=found,
        outcome=AuditEvent.Outcome.OK if found else AuditEvent.Outcome.NOT_FOUND,
        channel="fhir",
        data={} if found else {"patient_id": raw[:40]},
    )
    return found


@endpoint(("GET", "POST"))
def collection(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        return _create(request, actor)
    s = parse_search(request, SEARCH_PARAMS)
    qs = prescriptions_visible_to(actor).select_related("prescriber").order_by("-created_at", "-pk")
    raw_patient = s.get("patient") or s.get("subject")
    if not raw_patient and not s.get("identifier"):
        raise FhirError(
            400, "search_parameter_required", "Ange patient eller identifier.", field="patient"
        )
    if raw_patient:
        patient = visible_patient_param(raw_patient, actor=actor, resource="devicerequest")
        qs = qs.filter(patient=patient) if patient else qs.none()
    if s.get("identifier"):
        value = s.get("identifier").rpartition("|")[2]
        pk = int(value[1:]) if value[:1] == "F" and value[1:].isdigit() else 0
        qs = qs.filter(pk=pk)
    rows = list(qs)
    if s.get("status"):
        wanted = set(s.get("status").split(","))
        rows = [p for p in rows if status_of(p) in wanted]
    shown = page(rows, s)
    record_many(
        "prescriptions.prescription.read",
        [Shown(patient=p.patient, obj=p) for p in shown],
        actor=actor,
        channel="fhir",
    )
    resources = [device_request(p) for p in shown]
    return fhir_response(searchset(request, "DeviceRequest", s, len(rows), resources))


def _draft(dr: DeviceRequest, *, actor: Actor) -> PrescriptionDraft:
    check_code(dr.status, codes.REQUEST_STATUS, "status")
    check_code(dr.intent, codes.REQUEST_INTENT, "intent")
    if dr.status not in (None, "active") or dr.intent not in ("order", "original-order"):
        raise FhirError(
            422,
            "unsupported_request",
            "Endast status active och intent order kan registreras.",
            issue_type="business-rule",
            field="status",
        )
    subject = dr.subject.reference if dr.subject else ""
    pk = int_id(reference_id(subject or "", "Patient"))
    patient = patients_visible_to(actor).filter(pk=pk or 0).first()
    if patient is None:
        record(
            "patients.patient.read",
            actor=actor,
            outcome=AuditEvent.Outcome.NOT_FOUND,
            channel="fhir",
            data={"patient_id": (subject or "")[:40]},
        )
        raise NotFound()
    article = _article(dr)
    product = Product.objects.select_related("area").filter(article_number=article).first()
    if product is None:
        raise DomainError.single(
            "product_not_found",
            "Det finns ingen produkt med det artikelnumret.",
            "codeCodeableConcept",
        )
    amount, period = _consumption(dr)
    period_of = dr.occurrencePeriod
    return PrescriptionDraft(
        patient=patient,
        product=product,
        consumption_amount=amount,
        consumption_period=period,
        valid_from=_date(period_of.start) if period_of and period_of.start else None,
        valid_until=_date(period_of.end) if period_of and period_of.end else None,
        max_supply_days=_max_supply(dr),
        instructions=" ".join(n.text for n in dr.note or [] if n.text)[:500],
    )


def _date(value: Any) -> Any:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _article(dr: DeviceRequest) -> str:
    concept = dr.codeCodeableConcept
    for coding in (concept.coding or []) if concept else []:
        if coding.system == codes.ARTICLE_NUMBER and coding.code:
            return str(coding.code)
    raise DomainError.single(
        "required", f"Ange produkten som kod i {codes.ARTICLE_NUMBER}.", "codeCodeableConcept"
    )


def _parameter(dr: DeviceRequest, code: str) -> Any:
    for p in dr.parameter or []:
        codings = p.code.coding if p.code and p.code.coding else []
        if any(c.system == PARAMETER and c.code == code for c in codings):
            return p.valueQuantity
    return None


def _consumption(dr: DeviceRequest) -> tuple[int, str]:
    q = _parameter(dr, "forbrukning")
    period = _UCUM_TO_PERIOD.get(q.code or "") if q is not None else None
    if q is None or period is None or q.value is None or q.value != int(q.value) or q.value < 1:
        raise DomainError.single(
            "invalid_consumption",
            "Ange förbrukningen som ett heltal per dag, vecka eller månad (UCUM /d, /wk, /mo).",
            "parameter",
        )
    return int(q.value), period


def _max_supply(dr: DeviceRequest) -> int | None:
    q = _parameter(dr, "max-forsorjning")
    if q is None or q.value is None:
        return None
    if q.value != int(q.value) or q.value < 1:
        raise DomainError.single("invalid_integer", "Ange ett heltal.", "parameter")
    return int(q.value)


def _create(request: HttpRequest, actor: Actor) -> HttpResponse:
    dr = read_resource(request, DeviceRequest)
    p = create_prescription(_draft(dr, actor=actor), actor=actor)
    p = Prescription.objects.select_related("product", "unit", "prescriber").get(pk=p.pk)
    return fhir_response(
        device_request(p), 201, Location=f"{base_url(request)}/DeviceRequest/{p.pk}"
    )
