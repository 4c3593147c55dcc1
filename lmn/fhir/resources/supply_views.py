"""SupplyRequest endpoints: read, search (patient, identifier, status, date), and create
with idempotency: `Idempotency-Key`, or conditional create `If-None-Exist`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse
from fhir.resources.R4B.supplyrequest import SupplyRequest

from lmn.audit.models import AuditEvent
from lmn.audit.services import Shown, record, record_many
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound
from lmn.delivery.details import DeliveryRequest
from lmn.prescriptions.queries import prescriptions_visible_to
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.queries import get_withdrawal, withdrawals_visible_to
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

from .. import codes
from ..outcome import FhirError, fhir_response
from ..parsing import check_code, extension_values, read_resource
from ..routing import endpoint
from ..search import Search, int_id, page, parse_search, reference_id, searchset
from .prescriptions import visible_patient_param
from .supply import (
    DETAIL,
    FLAG_DETAILS,
    PICKUP_POINT,
    PRIORITY_TO_SPEED,
    TEXT_DETAILS,
    location,
    split_id,
    status_of,
    supply_request,
    supply_requests,
    with_lines,
)

SEARCH_PARAMS = ("patient", "identifier", "status", "date")
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, as the API's Idempotency-Key
_DATE = re.compile(r"^(eq|ge|le|gt|lt)?(\d{4}-\d{2}-\d{2})$")


@endpoint(("GET",))
def read(request: HttpRequest, actor: Actor, supply_request_id: str) -> HttpResponse:
    parts = split_id(supply_request_id)
    number, position = parts if parts else ("", 0)
    w = get_withdrawal(number, actor=actor, channel="fhir")  # audited, read or miss
    lines = list(w.lines.select_related("product").order_by("pk"))
    if position > len(lines):
        raise NotFound()
    return fhir_response(supply_request(w, lines[position - 1], position))


def _date_filter(qs: Any, raw: str) -> Any:
    match = _DATE.match(raw)
    if not match:
        raise FhirError(
            400, "invalid_search_value", "Ange date som [ge|le|gt|lt|eq]ÅÅÅÅ-MM-DD.", field="date"
        )
    prefix, day = match.group(1) or "eq", dt.date.fromisoformat(match.group(2))
    lookup = {"eq": "", "ge": "__gte", "le": "__lte", "gt": "__gt", "lt": "__lt"}[prefix]
    return qs.filter(**{f"placed_at__date{lookup}": day})


def _search_rows(s: Search, actor: Actor) -> list[Withdrawal]:
    qs = with_lines(withdrawals_visible_to(actor)).order_by("-placed_at", "-pk")
    if not s.get("patient") and not s.get("identifier"):
        raise FhirError(
            400, "search_parameter_required", "Ange patient eller identifier.", field="patient"
        )
    if s.get("patient"):
        patient = visible_patient_param(s.get("patient"), actor=actor, resource="supplyrequest")
        qs = qs.filter(patient=patient) if patient else qs.none()
    if s.get("identifier"):
        system, _, value = s.get("identifier").rpartition("|")
        qs = (
            qs.filter(number=value.upper())
            if system in ("", codes.WITHDRAWAL_NUMBER)
            else qs.none()
        )
    if s.get("date"):
        qs = _date_filter(qs, s.get("date"))
    rows = list(qs)
    if s.get("status"):
        wanted = set(s.get("status").split(","))
        rows = [w for w in rows if status_of(w) in wanted]
    return rows


@endpoint(("GET", "POST"))
def collection(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        return _create(request, actor)
    s = parse_search(request, SEARCH_PARAMS)
    withdrawals = _search_rows(s, actor)
    resources = [r for w in withdrawals for r in supply_requests(w)]
    shown = page(resources, s)
    ids = {r["identifier"][0]["value"] for r in shown}
    record_many(
        "withdrawals.withdrawal.read",
        [Shown(patient=w.patient, obj=w) for w in withdrawals if w.number in ids],
        actor=actor,
        channel="fhir",
    )
    if s.get("identifier") and not withdrawals:
        record(
            "withdrawals.withdrawal.read",
            actor=actor,
            outcome=AuditEvent.Outcome.NOT_FOUND,
            channel="fhir",
            data={"number": "(sökning)"},
        )
    return fhir_response(searchset(request, "SupplyRequest", s, len(resources), shown))


# --- create --------------------------------------------------------------------------


def _delivery(sr: SupplyRequest) -> DeliveryRequest:
    values = extension_values(sr, DETAIL)
    destination = extension_values(sr, codes.EXT_DESTINATION).get("", None) or "door"
    given: dict[str, Any] = {
        n: values[n]
        for n in (*TEXT_DETAILS, *FLAG_DETAILS)
        if isinstance(values.get(n), bool if n in FLAG_DETAILS else str)
    }
    pickup = ""
    if sr.deliverTo is not None and sr.deliverTo.identifier is not None:
        if sr.deliverTo.identifier.system == PICKUP_POINT:
            pickup = sr.deliverTo.identifier.value or ""
    return DeliveryRequest(
        destination=str(destination),
        speed=PRIORITY_TO_SPEED.get(sr.priority or "routine", "standard"),
        pickup_point_id=pickup,
        **given,
    )


def _prescription(sr: SupplyRequest, *, actor: Actor) -> Any:
    reasons = [r.reference for r in sr.reasonReference or [] if r.reference]
    if len(reasons) != 1 or not reference_id(reasons[0], "DeviceRequest"):
        raise DomainError.single(
            "required",
            "Ange förskrivningen som reasonReference DeviceRequest/<id>.",
            "reasonReference",
        )
    pk = int_id(reference_id(reasons[0], "DeviceRequest"))
    p = prescriptions_visible_to(actor).filter(pk=pk or 0).first()
    if p is None:
        record(
            "prescriptions.prescription.read",
            actor=actor,
            outcome=AuditEvent.Outcome.NOT_FOUND,
            channel="fhir",
            data={"prescription_id": reasons[0][:40]},
        )
        raise NotFound()
    return p


def _draft(sr: SupplyRequest, *, actor: Actor) -> WithdrawalDraft:
    check_code(sr.status, codes.SUPPLY_REQUEST_STATUS, "status")
    check_code(sr.priority, codes.REQUEST_PRIORITY, "priority")
    if sr.status not in (None, "active") or sr.priority == "asap":
        raise FhirError(
            422,
            "unsupported_request",
            "Endast status active och prioritet routine, urgent eller stat stöds.",
            issue_type="business-rule",
            field="status",
        )
    p = _prescription(sr, actor=actor)
    quantity = sr.quantity.value if sr.quantity is not None else None
    if quantity is None or quantity != int(quantity) or quantity < 1:
        raise DomainError.single("invalid_integer", "Ange antalet som ett heltal.", "quantity")
    concept = sr.itemCodeableConcept
    codings = (concept.coding or []) if concept is not None else []
    articles = {c.code for c in codings if c.system == codes.ARTICLE_NUMBER}
    if articles and articles != {p.product.article_number}:
        raise DomainError.single(
            "item_mismatch", "Produkten är inte den förskrivna.", "itemCodeableConcept"
        )
    return WithdrawalDraft(
        patient=p.patient, lines=[LineDraft(p.pk, int(quantity))], delivery=_delivery(sr)
    )


def _idempotency(request: HttpRequest, actor: Actor) -> tuple[str, Withdrawal | None]:
    """The key the withdrawal is placed under, or the withdrawal a conditional create
    already finds (then nothing is created)."""
    header = request.headers.get("Idempotency-Key", "").strip()
    condition = request.headers.get("If-None-Exist", "").strip()
    if condition:
        params = parse_qsl(condition, keep_blank_values=True)
        if [n for n, _ in params] != ["identifier"]:
            raise FhirError(
                400,
                "invalid_condition",
                "If-None-Exist stöder endast identifier=system|värde.",
                field="If-None-Exist",
            )
        system, _, value = params[0][1].rpartition("|")
        if system == codes.WITHDRAWAL_NUMBER:
            found = withdrawals_visible_to(actor).filter(number=value.upper()).first()
            if found is None:
                raise FhirError(
                    412,
                    "no_such_withdrawal",
                    "Uttagsnumret finns inte; ett nytt numreras av LMN.",
                    issue_type="not-found",
                    field="If-None-Exist",
                )
            return "", found
        header = f"fhir:{system}|{value}"
    if not header:
        raise FhirError(
            400,
            "idempotency_key_required",
            "Ange Idempotency-Key eller If-None-Exist så att en omsändning inte ger dubbla uttag.",
            field="Idempotency-Key",
        )
    if not _KEY.match(header):
        raise FhirError(
            400,
            "invalid_idempotency_key",
            "Nyckeln ska vara 1–200 synliga ASCII-tecken.",
            field="Idempotency-Key",
        )
    return header, None


def _actor_of(request: HttpRequest) -> Actor:
    actor = getattr(request, "fhir_actor", None)
    assert isinstance(actor, Actor)
    return actor


def _create(request: HttpRequest, actor: Actor) -> HttpResponse:
    request.fhir_actor = actor  # type: ignore[attr-defined]
    sr = read_resource(request, SupplyRequest)
    key, existing = _idempotency(request, actor)
    if existing is not None:
        return _answer(request, existing, created=False, matched=True)
    withdrawal, created = place_withdrawal(
        _draft(sr, actor=actor), actor=actor, idempotency_key=key
    )
    return _answer(request, withdrawal, created=created, matched=False)


def _answer(request: HttpRequest, w: Withdrawal, *, created: bool, matched: bool) -> HttpResponse:
    w = with_lines(Withdrawal.objects.filter(pk=w.pk)).get()
    resources = supply_requests(w)
    if matched and len(resources) > 1:
        raise FhirError(
            412,
            "multiple_matches",
            "Villkoret i If-None-Exist matchar mer än en resurs.",
            issue_type="multiple-matches",
            field="If-None-Exist",
        )
    first = resources[0]
    if not created:  # what an earlier request placed is shown again: a read of patient data
        record(
            "withdrawals.withdrawal.read",
            actor=_actor_of(request),
            patient=w.patient,
            obj=w,
            channel="fhir",
        )
    headers = {"Location": location(request, first)}
    if not created:
        headers["Idempotent_Replayed"] = "true"
    return fhir_response(first, 201 if created else 200, **headers)
