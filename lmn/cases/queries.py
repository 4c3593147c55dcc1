"""What an actor may see of cases: the list and one case, each read (or miss) audited,
since a case holds patient data.

`cases_visible_to` itself still lives in services.py (its split is under way); it is
re-exported here so that adapters ask this module only.
"""

from __future__ import annotations

from typing import Any

from lmn.audit.services import Shown, record, record_many
from lmn.core.actor import Actor, Role
from lmn.core.errors import NotFound
from lmn.patients.models import Patient
from lmn.patients.queries import patients_visible_to

from .models import Case
from .services import cases_visible_to, work_queue

__all__ = ["case_patient", "cases_visible_to", "get_case", "list_cases", "work_queue"]


def get_case(case_id: int, *, actor: Actor, channel: str = "", audit_read: bool = True) -> Case:
    """The case if the actor may see it (cases_visible_to), else NotFound; both audited.

    `audit_read=False` where the caller just wrote the case (its service audited that).
    """
    case: Case | None = (
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


def list_cases(
    *, actor: Actor, kind: str | None = None, channel: str = "", limit: int = 200
) -> list[Case]:
    """The cases an actor's list shows, each read audited (one bulk insert).

    Customer service: the open cases, oldest first (the work queue). Others: the acting
    unit's cases, newest first. A case carries a person's name, birth date or LMA number,
    or names a patient, so every case listed is a read of that person's data.
    """
    cases: list[Case]
    if actor.role == Role.CUSTOMER_SERVICE:
        cases = work_queue(actor=actor, kind=kind)
    else:
        qs: Any = cases_visible_to(actor).select_related(
            "product", "unit", "submitted_by", "patient", "prescription"
        )
        if kind:
            qs = qs.filter(kind=kind)
        cases = list(qs.order_by("-submitted_at", "-pk")[:limit])
    record_many(
        "cases.case.listed",
        [Shown(patient=c.patient, obj=c, data={"kind": c.kind}) for c in cases],
        actor=actor,
        channel=channel,
    )
    return cases
