"""A patient: the summary every list shows, and the detail with prescriptions and withdrawals."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from lmn.core.actor import Actor
from lmn.patients.models import PERSONAL_KINDS, IdentityKind, Patient
from lmn.prescriptions.queries import prescriptions_of
from lmn.withdrawals.queries import entitlements_for, withdrawals_visible_to

from .prescriptions import PrescriptionOut, prescription


class AddressOut(Schema):
    street: str
    postcode: str
    city: str


class IdentityOut(Schema):
    kind: str  # personnummer | samordningsnummer | lma | ut | protected
    identifier: str  # 12 digits, YYYYMMDDNNNN; 8 for LMA; "" for ut and protected


class PatientSummaryOut(Schema):
    id: int
    identity: IdentityOut
    name: str
    birth_date: dt.date


class WithdrawalSummaryOut(Schema):
    number: str
    status: str
    placed_at: dt.datetime
    promised_delivery_date: dt.date | None


class PatientOut(PatientSummaryOut):
    address: AddressOut
    resident_region: str
    region_name: str
    protected: bool
    prescriptions: list[PrescriptionOut]
    withdrawals: list[WithdrawalSummaryOut]


_SHOWN_IDENTIFIERS = PERSONAL_KINDS | {IdentityKind.LMA}


def patient_summary(patient: Patient) -> PatientSummaryOut:
    return PatientSummaryOut(
        id=patient.pk,
        # UT-4, SKYDD-2: internal identifiers of people without a number are never shown
        identity=IdentityOut(
            kind=patient.identity_kind,
            identifier=patient.identifier if patient.identity_kind in _SHOWN_IDENTIFIERS else "",
        ),
        name=patient.name,
        birth_date=patient.birth_date,
    )


def patient_detail(patient: Patient, *, actor: Actor) -> PatientOut:
    """What the actor may see of the patient's records (PDL-1, PDL-2)."""
    prescriptions = list(prescriptions_of(patient, actor=actor))
    entitlements = entitlements_for(prescriptions)
    withdrawals = (
        withdrawals_visible_to(actor).filter(patient=patient).order_by("-placed_at", "-pk")
    )
    return PatientOut(
        **patient_summary(patient).model_dump(),
        address=AddressOut(street=patient.street, postcode=patient.postcode, city=patient.city),
        resident_region=patient.resident_region,
        region_name=patient.region_name,
        protected=patient.protected,
        prescriptions=[prescription(p, entitlements[p.pk]) for p in prescriptions],
        withdrawals=[
            WithdrawalSummaryOut(
                number=w.number,
                status=w.status,
                placed_at=w.placed_at,
                promised_delivery_date=w.promised_delivery_date,
            )
            for w in withdrawals
        ],
    )
