"""Customer service decides a case: approve, return for completion, or reject (CON-4)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, in_swedish
from lmn.notifications.services import queue

from ..models import Case
from ..states import CaseKind, CaseStatus
from .common import _blank, _require_customer_service
from .move import _move
from .register import _carry_out


def return_case(case: Case, *, reason: str, actor: Actor) -> Case:
    """Back to the prescriber for completion, with the stated reason (OOA-2)."""
    _require_customer_service(actor)
    if _blank(reason):
        raise DomainError.single(
            "OOA-2", "Ange vad som saknas, så att förskrivaren kan komplettera.", "reason"
        )
    with transaction.atomic():
        updated = _move(
            case,
            CaseStatus.RETURNED,
            actor=actor,
            reason=reason.strip(),
            changes=_decided(actor, return_reason=reason.strip()),
        )
        _after_decision(updated, actor=actor, data={"reason": reason.strip()})
    return updated


def reject_case(case: Case, *, reason: str, actor: Actor) -> Case:
    _require_customer_service(actor)
    if _blank(reason):
        raise DomainError.single("reason_required", "Ange varför ärendet avslås.", "reason")
    with transaction.atomic():
        updated = _move(
            case,
            CaseStatus.REJECTED,
            actor=actor,
            reason=reason.strip(),
            changes=_decided(actor, decision_note=reason.strip()),
        )
        _after_decision(updated, actor=actor, data={"reason": reason.strip()})
    return updated


def approve_case(case: Case, *, actor: Actor, note: str = "") -> Case:
    """Approve: register the patient where the case says so and create the prescription,
    in the decision's transaction. A refusal on the way leaves the case as it was."""
    _require_customer_service(actor)
    with transaction.atomic():
        updated = _move(
            case, CaseStatus.APPROVED, actor=actor, reason=note.strip(), changes=_decided(actor)
        )
        patient, prescription = _carry_out(updated, actor=actor)
        Case.objects.filter(pk=updated.pk).update(patient=patient, prescription=prescription)
        updated.patient, updated.prescription = patient, prescription
        _after_decision(
            updated,
            actor=actor,
            data={
                "prescription": prescription.reference,
                "unit": prescription.unit.customer_number,
            },
        )
    return updated


def _decided(actor: Actor, **more: Any) -> dict[str, Any]:
    return {"decided_by": actor.user, "decided_at": clock.now(), **more}


_DECISION_TEXT: dict[str, str] = {
    CaseStatus.APPROVED: "har godkänts",
    CaseStatus.RETURNED: "har skickats tillbaka för komplettering",
    CaseStatus.REJECTED: "har avslagits",
}


def _after_decision(case: Case, *, actor: Actor, data: dict[str, Any]) -> None:
    """Audit the decision and e-mail the prescriber (CON-4). The e-mail names the case and
    the prescription, never the patient: e-mail is not a channel for patient data."""
    record(
        f"cases.case.{case.status}",
        actor=actor,
        patient=case.patient,
        obj=case,
        data={"kind": case.kind, **data},
    )
    kind = in_swedish(CaseKind(case.kind).label)  # the e-mail is Swedish, whoever decided
    lines = [f"Ditt ärende {case.reference} ({kind}) {_DECISION_TEXT[case.status]}."]
    if case.status == CaseStatus.APPROVED and case.prescription is not None:
        lines.append(
            f"Förskrivning {case.prescription.reference} är registrerad på kundnummer "
            f"{case.prescription.unit.customer_number}."
        )
        if case.kind == CaseKind.PROTECTED_IDENTITY:
            lines.append(
                "Förskrivningen medger ett uttag, med leverans till enheten. Dokumentera "
                "uttagsnumret i journalen."
            )
    if case.status == CaseStatus.RETURNED:
        lines.append(f"Komplettera: {case.return_reason}")
    if case.status == CaseStatus.REJECTED:
        lines.append(f"Skäl: {case.decision_note}")
    lines.append("Logga in i LMN för att se ärendet. Svara inte på det här meddelandet.")
    queue(
        channel="email",
        recipient=case.contact_email or case.submitted_by.email,
        subject=f"LMN: ärende {case.reference} {_DECISION_TEXT[case.status]}",
        body="\n\n".join(lines),
        obj=case,
    )
