"""Stating a care relationship or an emergency access (PDL-1, PDL-2), and customer
service's registration of a patient's block (spärr) of one unit's data (PDL-2)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, PermissionDenied, Problem

from ..access import CARE_STAFF
from ..models import CareRelationship, Patient, PatientBlock

REASON_MAX = 500


def _reason(raw: str, *, emergency: bool) -> str:
    reason = " ".join((raw or "").split())
    if not reason:
        message = (
            "Ange skälet till nödåtkomsten."
            if emergency
            else "Ange skälet till att du deltar i patientens vård."
        )
        raise DomainError(Problem("reason_required", message, "reason"))
    if len(reason) > REASON_MAX:
        raise DomainError(
            Problem("reason_too_long", f"Skälet får vara högst {REASON_MAX} tecken.", "reason")
        )
    return reason


def state_care_relationship(
    patient: Patient,
    *,
    reason: str,
    consent: bool = False,
    emergency: bool = False,
    actor: Actor,
    channel: str = "",
) -> CareRelationship:
    """The actor takes part in the patient's care (PDL-1), for today, in its unit.

    `consent`: the patient consents to data of other care providers being read.
    `emergency`: an emergency access (PDL-2), which opens blocked data too. The reason
    is mandatory; the statement is audited and flagged for the auditor's follow-up.
    The caller has already been allowed to see the patient (get_patient).
    """
    if actor.role not in CARE_STAFF or actor.unit is None:
        raise PermissionDenied(
            "care_relationship_role", "Bara vårdpersonal på en enhet anger vårdrelation."
        )
    cleaned = _reason(reason, emergency=emergency)
    with transaction.atomic():
        relationship = CareRelationship.objects.create(
            patient=patient,
            actor_hsa_id=actor.hsa_id,
            unit=actor.unit,
            reason=cleaned,
            consent=consent or emergency,
            emergency=emergency,
            valid_on=clock.today(),
            stated_at=clock.now(),
        )
        record(
            "patients.emergency_access" if emergency else "patients.care_relationship",
            actor=actor,
            patient=patient,
            obj=relationship,
            channel=channel,
            data={
                "reason": cleaned,
                "consent": relationship.consent,
                "emergency": emergency,
                "care_provider": actor.unit.care_provider_id,
                "follow_up": True,
            },
        )
    return relationship


def _customer_service_only(actor: Actor) -> None:
    if actor.role != Role.CUSTOMER_SERVICE:
        raise PermissionDenied("block_role", "Bara kundtjänst registrerar spärrar.")


def register_block(
    patient: Patient, *, unit: Any, reason: str = "", actor: Actor, channel: str = ""
) -> PatientBlock:
    """The patient blocks `unit`'s data towards every other unit (PDL-2)."""
    _customer_service_only(actor)
    with transaction.atomic():
        if PatientBlock.objects.filter(patient=patient, unit=unit, lifted_at=None).exists():
            raise DomainError(
                Problem("already_blocked", "Enhetens uppgifter är redan spärrade.", "unit")
            )
        block = PatientBlock.objects.create(
            patient=patient,
            unit=unit,
            reason=" ".join(reason.split())[:REASON_MAX],
            registered_by=actor.hsa_id,
            registered_at=clock.now(),
        )
        record(
            "patients.block.registered",
            actor=actor,
            patient=patient,
            obj=block,
            channel=channel,
            data={"unit": block.unit.customer_number},
        )
    return block


def lift_block(block: PatientBlock, *, actor: Actor, channel: str = "") -> PatientBlock:
    """The patient lifts the block: the unit's data open by care relationship again."""
    _customer_service_only(actor)
    with transaction.atomic():
        updated = PatientBlock.objects.filter(pk=block.pk, lifted_at=None).update(
            lifted_at=clock.now()
        )
        if not updated:
            raise DomainError(Problem("not_blocked", "Spärren är redan hävd.", "block"))
        block.refresh_from_db()
        record(
            "patients.block.lifted",
            actor=actor,
            patient=block.patient,
            obj=block,
            channel=channel,
            data={"unit": block.unit.customer_number},
        )
    return block


def pseudonymise_patient(patient: Patient, *, actor: Actor) -> Patient:
    """Retention (PDL): the inactive patient's name, number and address are replaced; the
    record, its history and its audit trail remain under its id. Audited."""
    with transaction.atomic():
        patient.identifier = f"P{patient.pk:011d}"[-12:]
        patient.first_name, patient.last_name = "Pseudonymiserad", f"P{patient.pk}"
        patient.street, patient.postcode, patient.city = "", "", ""
        patient.save(
            update_fields=["identifier", "first_name", "last_name", "street", "postcode", "city"]
        )
        record("patients.patient.pseudonymised", actor=actor, patient=patient)
    return patient
