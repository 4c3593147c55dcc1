"""Looking up one case, with the read (or the miss) audited: a case holds patient data."""

from __future__ import annotations

from lmn.audit.services import record
from lmn.core.actor import Actor
from lmn.core.errors import NotFound
from lmn.patients.models import Patient
from lmn.patients.queries import patients_visible_to

from .models import Case
from .services import cases_visible_to


def get_case(case_id: int, *, actor: Actor, channel: str = "", audit_read: bool = True) -> Case:
    """The case if the actor may see it (cases_visible_to), else NotFound; both audited.

    `audit_read=False` where the caller just wrote the case (its service audited that).
    """
    case = (
        cases_visible_to(actor)
        .select_related("product__area", "unit", "submitted_by", "prescription__unit", "patient")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        record(
            "cases.case.read",
            actor=actor,
            outcome="not_found",
            channel=channel,
            data={"case_id": case_id},
        )
        raise NotFound()
    if audit_read:
        record(
            "cases.case.read",
            actor=actor,
            patient=case.patient,
            obj=case,
            channel=channel,
        )
    return case


def case_patient(case: Case, actor: Actor) -> Patient | None:
    """The case's patient if the actor may see them; a protected one answers as none."""
    if case.patient_id is None:
        return None
    return patients_visible_to(actor).filter(pk=case.patient_id).first()
