"""Customer-service cases: the digital forms that replace the faxes (CH-1).

Prescribers submit, list, read and complete their unit's cases; customer service lists
the open ones (its work queue), reads any and decides. Two agents deciding the same case
at once: one wins, the other gets 409 case_already_decided.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ApiError, ErrorsOut
from lmn.api.fields import MAX_ID, Amount, Id, Text20, Text100, Text1000
from lmn.api.lookups import visible_patient
from lmn.cases.models import Case
from lmn.cases.queries import case_patient, get_case
from lmn.cases.queries import list_cases as cases_listed_for
from lmn.cases.services import (
    CaseDraft,
    approve_case,
    complete_case,
    reject_case,
    return_case,
    submit_case,
)
from lmn.cases.states import CaseKind
from lmn.catalog.models import Product
from lmn.core.actor import Actor
from lmn.core.authorization import (
    CUSTOMER_SERVICE,
    PRESCRIBERS,
    RoutePolicy,
    for_customer_service,
    prescribing,
)
from lmn.core.errors import DomainError

router = Router(tags=["cases"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
POLICIES: dict[str, RoutePolicy] = {
    "": RoutePolicy(
        PRESCRIBERS | CUSTOMER_SERVICE, "case", methods={"POST": PRESCRIBERS}, refusal="ACC-2"
    ),
    "/{case_id}": RoutePolicy(PRESCRIBERS | CUSTOMER_SERVICE, "case"),
    "/{case_id}/complete": prescribing("case"),
    "/{case_id}/decision": for_customer_service("case"),
}

CaseId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ConsumptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: Amount
    per: Literal["day", "week", "month"]


class CaseIn(Schema):
    """The form of one kind; fields another kind uses are ignored."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal[
        "asylum", "without_permit", "protected_identity", "out_of_assortment", "outside_region"
    ]
    article_number: Text20
    consumption: ConsumptionIn
    instructions: Text1000 = Field(default="", description="Högst 500 tecken")
    patient_id: Id | None = Field(
        default=None, description="Utanför sortiment och annan region: patienten"
    )
    first_name: Text100 = ""
    last_name: Text100 = ""
    birth_date: dt.date | None = None
    lma_number: Text20 = Field(default="", description="T.ex. 50-008920/4")
    lma_valid_until: dt.date | None = None
    care_cannot_wait: bool | None = Field(
        default=None, description="ASYL-2/UT-1: förskrivarens beslut att vården inte kan anstå"
    )
    justification: Text1000 = Field(default="", description="OOA-1: obligatorisk motivering")
    care_of: Text100 = Field(default="", description="SKYDD-5: c/o på enheten")
    personal_number: Text20 = Field(
        default="",
        description=(
            "Annan region utan patient_id: personnummer eller samordningsnummer för en person "
            "som inte finns i registret (PAT-1, PAT-2); kundtjänst registrerar patienten"
        ),
    )


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "return", "reject"]
    reason: Text1000 = Field(default="", description="Krävs för return och reject")


class CaseEventOut(Schema):
    at: dt.datetime
    from_status: str
    to_status: str
    reason: str


class CaseOut(Schema):
    id: int
    reference: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    unit: str
    submitted_by: str
    submitted_at: dt.datetime
    updated_at: dt.datetime
    article_number: str
    product_name: str
    consumption: dict[str, int | str]
    instructions: str
    patient_id: int | None  # only when the reader may see the patient
    first_name: str
    last_name: str
    birth_date: dt.date | None
    lma_number: str
    lma_valid_until: dt.date | None
    care_cannot_wait: bool | None
    justification: str
    care_of: str
    personal_number: str
    contact_email: str
    contact_phone: str
    return_reason: str
    decision_note: str
    prescription_id: int | None
    prescription_reference: str | None
    events: list[CaseEventOut]


def _out(case: Case, actor: Actor) -> CaseOut:
    visible = case_patient(case, actor) is not None
    return CaseOut(
        id=case.pk,
        reference=case.reference,
        kind=case.kind,
        kind_label=case.get_kind_display(),
        status=case.status,
        status_label=case.get_status_display(),
        unit=case.unit.customer_number,
        submitted_by=case.submitted_by.display_name,
        submitted_at=case.submitted_at,
        updated_at=case.updated_at,
        article_number=case.product.article_number,
        product_name=case.product.name,
        consumption={"amount": case.consumption_amount, "per": case.consumption_period},
        instructions=case.instructions,
        patient_id=case.patient_id if visible else None,
        first_name=case.first_name,
        last_name=case.last_name,
        birth_date=case.birth_date,
        lma_number=case.lma_number,
        lma_valid_until=case.lma_valid_until,
        care_cannot_wait=case.care_cannot_wait,
        justification=case.justification,
        care_of=case.care_of,
        personal_number=case.personal_number,
        contact_email=case.contact_email,
        contact_phone=case.contact_phone,
        return_reason=case.return_reason,
        decision_note=case.decision_note,
        prescription_id=case.prescription_id,
        prescription_reference=case.prescription.reference if case.prescription else None,
        events=[
            CaseEventOut(at=e.at, from_status=e.from_status, to_status=e.to_status, reason=e.reason)
            for e in case.events.order_by("at", "pk")
        ],
    )


def _visible_case(case_id: int, actor: Actor, *, audit_read: bool = True) -> Case:
    return get_case(case_id, actor=actor, channel="api", audit_read=audit_read)


def _draft(payload: CaseIn, actor: Actor) -> CaseDraft:
    product = (
        Product.objects.select_related("area").filter(article_number=payload.article_number).first()
    )
    if product is None:
        raise DomainError.single(
            "product_not_found", "Det finns ingen produkt med det artikelnumret.", "article_number"
        )
    patient = None
    if payload.kind in (CaseKind.OUT_OF_ASSORTMENT, CaseKind.OUTSIDE_REGION):
        if payload.patient_id is not None:
            patient = visible_patient(payload.patient_id, actor=actor)
    return CaseDraft(
        kind=payload.kind,
        product=product,
        consumption_amount=payload.consumption.amount,
        consumption_period=payload.consumption.per,
        instructions=payload.instructions,
        patient=patient,
        first_name=payload.first_name,
        last_name=payload.last_name,
        birth_date=payload.birth_date,
        lma_number=payload.lma_number,
        lma_valid_until=payload.lma_valid_until,
        care_cannot_wait=payload.care_cannot_wait,
        justification=payload.justification,
        care_of=payload.care_of,
        personal_number=payload.personal_number,
    )


@router.post(
    "",
    response={201: CaseOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Skicka ett ärende till kundtjänst",
)
def create(request: HttpRequest, payload: CaseIn) -> Status[CaseOut]:
    """Validated at once: every problem of the form in one 422, and nothing stored."""
    actor = actor_of(request)
    case = submit_case(_draft(payload, actor), actor=actor)
    return Status(201, _out(_visible_case(case.pk, actor, audit_read=False), actor))


class CaseQuery(Schema):
    kind: (
        Literal[
            "asylum", "without_permit", "protected_identity", "out_of_assortment", "outside_region"
        ]
        | None
    ) = None


@router.get("", response={200: list[CaseOut], **COMMON_ERRORS})
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> list[CaseOut]:
    """Customer service: the work queue (open cases, oldest first). A prescriber: the
    acting unit's cases, newest first."""
    actor = actor_of(request)
    cases = cases_listed_for(actor=actor, kind=filters.kind, channel="api")
    return [_out(c, actor) for c in cases]


@router.get("/{case_id}", response={200: CaseOut, 404: ErrorsOut, **COMMON_ERRORS})
def read(request: HttpRequest, case_id: CaseId) -> CaseOut:
    actor = actor_of(request)
    return _out(_visible_case(case_id, actor), actor)


@router.post(
    "/{case_id}/complete",
    response={200: CaseOut, 404: ErrorsOut, 409: ErrorsOut, **COMMON_ERRORS},
    summary="Komplettera ett ärende som skickats tillbaka (OOA-2)",
)
def complete(request: HttpRequest, case_id: CaseId, payload: CaseIn) -> CaseOut:
    actor = actor_of(request)
    case = _visible_case(case_id, actor, audit_read=False)
    _conflict_on_race(lambda: complete_case(case, _draft(payload, actor), actor=actor))
    return _out(_visible_case(case_id, actor, audit_read=False), actor)


@router.post(
    "/{case_id}/decision",
    response={200: CaseOut, 404: ErrorsOut, 409: ErrorsOut, **COMMON_ERRORS},
    summary="Godkänn, skicka tillbaka eller avslå (kundtjänst)",
)
def decide(request: HttpRequest, case_id: CaseId, payload: DecisionIn) -> CaseOut:
    """The prescriber gets an e-mail about every decision (CON-4)."""
    actor = actor_of(request)
    case = _visible_case(case_id, actor, audit_read=False)
    if payload.decision == "approve":
        _conflict_on_race(lambda: approve_case(case, actor=actor, note=payload.reason))
    elif payload.decision == "return":
        _conflict_on_race(lambda: return_case(case, reason=payload.reason, actor=actor))
    else:
        _conflict_on_race(lambda: reject_case(case, reason=payload.reason, actor=actor))
    return _out(_visible_case(case_id, actor, audit_read=False), actor)


def _conflict_on_race(action: object) -> None:
    """A decision another agent made first is a conflict (409), not bad input."""
    try:
        action()  # type: ignore[operator]
    except DomainError as error:
        if error.code in ("case_already_decided", "invalid_transition"):
            problem = error.problems[0]
            raise ApiError(409, problem.code, problem.message, problem.field) from None
        raise
