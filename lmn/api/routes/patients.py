"""Patients: find by personnummer, LMA number or the unit's customer number; advanced
search on name and birth date; read one; identity conversion by customer service."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import ConfigDict, Field

from lmn.api import render
from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ErrorsOut
from lmn.api.fields import MAX_ID, Text20, Text40, Text100
from lmn.api.lookups import visible_patient
from lmn.cases.conversion import NewIdentity, convert_identity
from lmn.core.authorization import (
    CARE_STAFF,
    PATIENT_READERS,
    SELF_SERVICE,
    RoutePolicy,
    for_customer_service,
)
from lmn.patients.services import (
    find_patient_by_identifier,
    get_patient,
    search_by_name_and_birth_date,
)
from lmn.patients.services.care import state_care_relationship
from lmn.withdrawals.protected import (
    looks_like_customer_number,
    protected_rows,
    protected_withdrawals_of_unit,
)

router = Router(tags=["patients"])

# who may call each operation, by its path below the router (enforced in lmn.api.auth)
POLICIES: dict[str, RoutePolicy] = {
    "": RoutePolicy(PATIENT_READERS, "patient"),
    # an e-service token reads the one patient it acts for (EPAT-1, EPAT-2)
    "/{patient_id}": RoutePolicy(PATIENT_READERS | SELF_SERVICE, "patient"),
    "/search": RoutePolicy(PATIENT_READERS, "patient"),  # UT-5
    "/{patient_id}/conversion": for_customer_service("patient"),  # ASYL-7, UT-6
    "/{patient_id}/care-relationship": RoutePolicy(CARE_STAFF, "patient"),  # PDL-1, PDL-2
}


class PatientQuery(Schema):
    identifier: Text40 = Field(
        description=(
            "Personnummer eller samordningsnummer i valfritt vanligt format, LMA-nummer "
            "(ASYL-6), eller den egna enhetens sexsiffriga kundnummer (SKYDD-9)"
        )
    )


@router.get(
    "",
    response={
        200: list[render.PatientSummaryOut] | list[render.ProtectedWithdrawalRowOut],
        **COMMON_ERRORS,
    },
)
def find_patients(
    request: HttpRequest, filters: Query[PatientQuery]
) -> list[render.PatientSummaryOut] | list[render.ProtectedWithdrawalRowOut]:
    """Visible patients with this identifier: none or one (imported from the register).

    With the acting unit's customer number instead (SKYDD-9): the unit's withdrawals for
    protected persons, withdrawal number first; another unit's number lists nothing.
    """
    actor = actor_of(request)
    if looks_like_customer_number(filters.identifier):
        rows = protected_rows(protected_withdrawals_of_unit(filters.identifier, actor=actor))
        return render.protected_withdrawal_rows(rows)
    patient = find_patient_by_identifier(filters.identifier, actor=actor)
    return [render.patient_summary(patient)] if patient else []


class NameSearchQuery(Schema):
    name: Text100 = Field(description="För- och efternamn; ” - UT” får skrivas eller utelämnas")
    birth_date: dt.date = Field(description="ÅÅÅÅ-MM-DD")


@router.get("/search", response={200: list[render.PatientSummaryOut], **COMMON_ERRORS})
def search_patients(
    request: HttpRequest, filters: Query[NameSearchQuery]
) -> list[render.PatientSummaryOut]:
    """Advanced search on name and birth date (UT-5): visible patients only."""
    found = search_by_name_and_birth_date(
        filters.name, filters.birth_date, actor=actor_of(request), channel="api"
    )
    return [render.patient_summary(p) for p in found]


@router.get("/{patient_id}", response={200: render.PatientOut, 404: ErrorsOut, **COMMON_ERRORS})
def read_patient(
    request: HttpRequest, patient_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> render.PatientOut:
    """Identity, address, prescriptions with entitlement and withdrawals (the read is audited)."""
    actor = actor_of(request)
    return render.patient_detail(get_patient(patient_id, actor=actor), actor=actor)


class ConversionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["personnummer", "lma"]
    identifier: Text20
    first_name: Text100 = ""
    last_name: Text100 = ""
    birth_date: dt.date | None = None
    lma_valid_until: dt.date | None = None


@router.post(
    "/{patient_id}/conversion",
    response={200: render.PatientSummaryOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Konvertera till ny identitet (kundtjänst)",
)
def convert(
    request: HttpRequest,
    patient_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    payload: ConversionIn,
) -> render.PatientSummaryOut:
    """ASYL-7, UT-6: the whole history moves to the new identity in one transaction; the
    old identity then finds the new record. Answers the record that now holds it."""
    actor = actor_of(request)
    patient = visible_patient(patient_id, actor=actor)
    target = convert_identity(
        patient,
        NewIdentity(
            kind=payload.kind,
            identifier=payload.identifier,
            first_name=payload.first_name,
            last_name=payload.last_name,
            birth_date=payload.birth_date,
            lma_valid_until=payload.lma_valid_until,
        ),
        actor=actor,
    )
    return render.patient_summary(target)


class CareRelationshipIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500, description="Varför du deltar i patientens vård")
    consent: bool = Field(
        default=False, description="Patienten samtycker till uppgifter från andra vårdgivare"
    )
    emergency: bool = Field(
        default=False, description="Nödåtkomst: öppnar även spärrade uppgifter, granskas alltid"
    )


class CareRelationshipOut(Schema):
    valid_on: dt.date
    consent: bool
    emergency: bool


@router.post(
    "/{patient_id}/care-relationship",
    response={200: CareRelationshipOut, 404: ErrorsOut, **COMMON_ERRORS},
    summary="Ange vårdrelation eller nödåtkomst (PDL)",
)
def care_relationship(
    request: HttpRequest,
    patient_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    payload: CareRelationshipIn,
) -> CareRelationshipOut:
    """PDL-1, PDL-2: other units' prescriptions and withdrawals of the patient are read
    (GET /patients/{id}, /prescriptions, /withdrawals) only after the caller states a care
    relationship here. It holds for the caller in the acting unit for the rest of the day
    (Stockholm time). Another care provider's records also need `consent`; a unit the
    patient has blocked opens only by `emergency`. The reason is mandatory; each statement
    is audited and reviewed in the log follow-up."""
    actor = actor_of(request)
    patient = get_patient(patient_id, actor=actor)
    relationship = state_care_relationship(
        patient,
        reason=payload.reason,
        consent=payload.consent,
        emergency=payload.emergency,
        actor=actor,
        channel="api",
    )
    return CareRelationshipOut(
        valid_on=relationship.valid_on,
        consent=relationship.consent,
        emergency=relationship.emergency,
    )
