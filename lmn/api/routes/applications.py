"""Access and unit applications (ACC-1, ACC-4, ACC-5, UNIT-3): the head of unit applies,
LMN administration decides. A unit the head does not head answers like a missing one."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import ConfigDict, Field, StrictBool

from lmn.accounts.applications import (
    AccessApplicationDraft,
    approve_access_application,
    reject_access_application,
    submit_access_application,
)
from lmn.accounts.models import AccessApplication
from lmn.accounts.queries import access_applications_visible_to
from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ErrorsOut
from lmn.api.fields import MAX_ID, Text20, Text30, Text40, Text100, Text200, Text300, Text1000
from lmn.core.authorization import ADMINS, HEADS, RoutePolicy, administering
from lmn.core.errors import NotFound
from lmn.organisations.models import PrescribingUnit, UnitApplication
from lmn.organisations.queries import unit_applications_visible_to
from lmn.organisations.services import (
    PayerDraft,
    UnitApplicationDraft,
    approve_unit_application,
    reject_unit_application,
    submit_unit_application,
)

access_router = Router(tags=["access-applications"])
unit_router = Router(tags=["unit-applications"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
ACCESS_POLICIES: dict[str, RoutePolicy] = {
    "": RoutePolicy(HEADS | ADMINS, methods={"POST": HEADS}, refusal="ACC-1"),
    "/{application_id}/decision": administering(),
}

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
UNIT_POLICIES: dict[str, RoutePolicy] = {
    "": RoutePolicy(HEADS | ADMINS, methods={"POST": HEADS}, refusal="ACC-4"),
    "/{application_id}/decision": administering(),
}

CustomerNumber = Annotated[str, Field(pattern=r"^\d{6}$")]
ApplicationId = Annotated[int, Path(ge=1, le=MAX_ID)]
StatusFilter = Literal["submitted", "approved", "rejected", "withdrawn"]


def _units(numbers: list[str]) -> list[PrescribingUnit]:
    """Units by customer number; an unknown one stays unsaved and is refused like missing."""
    found = {
        u.customer_number: u for u in PrescribingUnit.objects.filter(customer_number__in=numbers)
    }
    return [found.get(n) or PrescribingUnit(customer_number=n) for n in numbers]


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    reason: Text1000 = Field(default="", description="Krävs vid avslag")


class ListQuery(Schema):
    status: StatusFilter | None = Field(
        default=None,
        description="Administrationen: utelämnad ger kön av inskickade ansökningar, äldst först",
    )


# --- access applications --------------------------------------------------------------


class AccessApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["grant", "change", "end"]
    subject_hsa_id: Text40
    units: list[CustomerNumber] = Field(..., min_length=1, max_length=50)
    role: Text20 = Field(default="", description="forskrivare, bestallare eller lakare")
    areas: list[Text40] = Field(default_factory=list, max_length=20)
    joint_ordering: StrictBool = Field(
        default=False, description="Sambeställning – Särskilt boende (ACC-3, SAM-4)"
    )
    first_name: Text100 = ""
    last_name: Text100 = ""
    email: Text300 = ""


class AccessApplicationOut(Schema):
    id: int
    kind: str
    status: str
    subject_hsa_id: str
    subject_name: str
    role: str
    areas: list[str]
    joint_ordering: bool
    units: list[str]
    applicant_hsa_id: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


def _access_out(a: AccessApplication) -> AccessApplicationOut:
    name = (
        a.subject.display_name
        if a.subject is not None
        else f"{a.subject_first_name} {a.subject_last_name}".strip()
    )
    return AccessApplicationOut(
        id=a.pk,
        kind=a.kind,
        status=a.status,
        subject_hsa_id=a.subject_hsa_id,
        subject_name=name,
        role=a.role,
        areas=sorted(area.code for area in a.areas.all()),
        joint_ordering=a.joint_ordering,
        units=sorted(u.customer_number for u in a.units.all()),
        applicant_hsa_id=a.applicant.hsa_id or "",
        submitted_at=a.submitted_at,
        decided_at=a.decided_at,
        decision_note=a.decision_note,
    )


def _access(application_id: int) -> AccessApplication:
    found = (
        AccessApplication.objects.select_related("applicant", "subject")
        .prefetch_related("areas", "units")
        .filter(pk=application_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@access_router.post(
    "",
    response={201: AccessApplicationOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Ansök om ny, ändrad eller avslutad behörighet",
)
def submit_access(
    request: HttpRequest, payload: AccessApplicationIn
) -> Status[AccessApplicationOut]:
    """The head of unit applies for a staff member's access in units they head (ACC-1).
    A unit they do not head answers 404, like a missing one; nothing is created."""
    actor = actor_of(request)
    draft = AccessApplicationDraft(
        kind=payload.kind,
        subject_hsa_id=payload.subject_hsa_id.strip(),
        units=_units(payload.units),
        role=payload.role,
        area_codes=payload.areas,
        joint_ordering=payload.joint_ordering,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email.strip(),
    )
    application = submit_access_application(draft, actor=actor)
    return Status(201, _access_out(_access(application.pk)))


@access_router.get(
    "", response={200: list[AccessApplicationOut], **COMMON_ERRORS}, summary="Ansökningar"
)
def list_access(request: HttpRequest, filters: Query[ListQuery]) -> list[AccessApplicationOut]:
    """The head of unit: their own applications. LMN administration: the queue."""
    found = access_applications_visible_to(actor_of(request), status=filters.status)
    return [_access_out(a) for a in found[:500]]


@access_router.post(
    "/{application_id}/decision",
    response={200: AccessApplicationOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Bevilja eller avslå en behörighetsansökan",
)
def decide_access(
    request: HttpRequest, application_id: ApplicationId, payload: DecisionIn
) -> AccessApplicationOut:
    """Approval takes effect at once (memberships made, changed or ended)."""
    actor = actor_of(request)
    application = _access(application_id)
    if payload.decision == "approve":
        approve_access_application(application, actor=actor, note=payload.reason)
    else:
        reject_access_application(application, actor=actor, reason=payload.reason)
    return _access_out(_access(application_id))


# --- unit applications ----------------------------------------------------------------


class PayerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    area: Text40
    name: Text200
    invoice_street: Text200
    invoice_postcode: Text20
    invoice_city: Text100
    invoice_reference: Text100 = ""


class UnitApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit: CustomerNumber | None = Field(
        default=None, description="Kundnummer för en ändring av den enhet du leder; utelämnat: ny"
    )
    name: Text200
    kind: Text40 = Field(description="health_centre, special_housing, …")
    street: Text200
    postcode: Text20
    city: Text100
    phone: Text30 = ""
    hsa_id: Text40 = ""
    delivery_place: Text200 = ""
    payers: list[PayerIn] = Field(..., max_length=20)


class PayerOut(Schema):
    area: str
    name: str
    invoice_street: str
    invoice_postcode: str
    invoice_city: str
    invoice_reference: str


class UnitApplicationOut(Schema):
    id: int
    kind: str
    status: str
    name: str
    unit_kind: str
    street: str
    postcode: str
    city: str
    delivery_place: str
    customer_number: str | None = Field(description="Tilldelat när ansökan beviljats")
    payers: list[PayerOut]
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


def _unit_out(a: UnitApplication) -> UnitApplicationOut:
    return UnitApplicationOut(
        id=a.pk,
        kind=a.kind,
        status=a.status,
        name=a.name,
        unit_kind=a.unit_kind,
        street=a.street,
        postcode=a.postcode,
        city=a.city,
        delivery_place=a.delivery_place,
        customer_number=a.unit.customer_number if a.unit is not None else None,
        payers=[
            PayerOut(
                area=p.product_area.code,
                name=p.name,
                invoice_street=p.invoice_street,
                invoice_postcode=p.invoice_postcode,
                invoice_city=p.invoice_city,
                invoice_reference=p.invoice_reference,
            )
            for p in a.payers.select_related("product_area").order_by("product_area__sort_order")
        ],
        submitted_at=a.submitted_at,
        decided_at=a.decided_at,
        decision_note=a.decision_note,
    )


def _unit_application(application_id: int) -> UnitApplication:
    found = UnitApplication.objects.select_related("unit").filter(pk=application_id).first()
    if found is None:
        raise NotFound()
    return found


@unit_router.post(
    "",
    response={201: UnitApplicationOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Ansök om ny eller ändrad förskrivande enhet",
)
def submit_unit(request: HttpRequest, payload: UnitApplicationIn) -> Status[UnitApplicationOut]:
    """With a payer and invoice address for every product area (UNIT-2, UNIT-3). A change
    is only for the unit the head acts in; another unit answers 404."""
    actor = actor_of(request)
    unit = None
    if payload.unit is not None:
        unit = PrescribingUnit.objects.filter(customer_number=payload.unit).first()
        if unit is None:
            unit = PrescribingUnit(customer_number=payload.unit)
    draft = UnitApplicationDraft(
        name=payload.name,
        kind=payload.kind,
        street=payload.street,
        postcode=payload.postcode,
        city=payload.city,
        phone=payload.phone,
        hsa_id=payload.hsa_id,
        delivery_place=payload.delivery_place,
        unit=unit,
        payers=[
            PayerDraft(
                area_code=p.area,
                name=p.name,
                invoice_street=p.invoice_street,
                invoice_postcode=p.invoice_postcode,
                invoice_city=p.invoice_city,
                invoice_reference=p.invoice_reference,
            )
            for p in payload.payers
        ],
    )
    application = submit_unit_application(draft, actor=actor)
    return Status(201, _unit_out(_unit_application(application.pk)))


@unit_router.get(
    "", response={200: list[UnitApplicationOut], **COMMON_ERRORS}, summary="Enhetsansökningar"
)
def list_units(request: HttpRequest, filters: Query[ListQuery]) -> list[UnitApplicationOut]:
    """The head of unit: their own applications. LMN administration: the queue."""
    found = unit_applications_visible_to(actor_of(request), status=filters.status)
    return [_unit_out(a) for a in found[:500]]


@unit_router.post(
    "/{application_id}/decision",
    response={200: UnitApplicationOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Bevilja eller avslå en enhetsansökan",
)
def decide_unit(
    request: HttpRequest, application_id: ApplicationId, payload: DecisionIn
) -> UnitApplicationOut:
    """On approval a new unit gets its customer number (six digits, never reused, UNIT-1)."""
    actor = actor_of(request)
    application = _unit_application(application_id)
    if payload.decision == "approve":
        approve_unit_application(application, actor=actor, note=payload.reason)
    else:
        reject_unit_application(application, actor=actor, reason=payload.reason)
    return _unit_out(_unit_application(application_id))
