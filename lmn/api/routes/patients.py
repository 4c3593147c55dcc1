"""Patients: find by personnummer, read one with prescriptions and withdrawals."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from lmn.api import render
from lmn.api.auth import actor_of
from lmn.api.errors import COMMON_ERRORS, ErrorsOut
from lmn.api.fields import MAX_ID, Text40
from lmn.patients.services import find_patient_by_identifier, get_patient

router = Router(tags=["patients"])


class PatientQuery(Schema):
    identifier: Text40 = Field(
        description="Personnummer eller samordningsnummer i valfritt vanligt format"
    )


@router.get("", response={200: list[render.PatientSummaryOut], **COMMON_ERRORS})
def find_patients(
    request: HttpRequest, filters: Query[PatientQuery]
) -> list[render.PatientSummaryOut]:
    """Visible patients with this identifier: none or one (imported from the register)."""
    patient = find_patient_by_identifier(filters.identifier, actor=actor_of(request))
    return [render.patient_summary(patient)] if patient else []


@router.get("/{patient_id}", response={200: render.PatientOut, 404: ErrorsOut, **COMMON_ERRORS})
def read_patient(
    request: HttpRequest, patient_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> render.PatientOut:
    """Identity, address, prescriptions with entitlement and withdrawals (the read is audited)."""
    return render.patient_detail(get_patient(patient_id, actor=actor_of(request)))
