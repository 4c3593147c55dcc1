"""The prescriber submits a case, or completes a returned one (OOA-2)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.patients.identifiers import parse_lma, parse_personal_number
from lmn.patients.services import (
    strip_ut_suffix,
)

from ..models import Case, CaseEvent
from ..states import CaseKind, CaseStatus
from .common import CaseDraft, _require_prescriber, cases_visible_to
from .move import _move
from .validate import validate_case


def _fields(draft: CaseDraft, actor: Actor) -> dict[str, Any]:
    """The case's columns from a validated draft: only what the kind carries."""
    values: dict[str, Any] = {
        "product": draft.product,
        "consumption_amount": draft.consumption_amount,
        "consumption_period": draft.consumption_period,
        "instructions": draft.instructions.strip(),
        "patient": None,
        "first_name": "",
        "last_name": "",
        "birth_date": None,
        "lma_number": "",
        "lma_card_sequence": "",
        "lma_valid_until": None,
        "care_cannot_wait": None,
        "justification": "",
        "care_of": "",
        "personal_number": "",
        "contact_email": actor.user.email if actor.user else "",
        "contact_phone": actor.user.phone if actor.user else "",
    }
    kind = draft.kind
    if kind in (CaseKind.ASYLUM, CaseKind.WITHOUT_PERMIT):
        values.update(
            first_name=draft.first_name.strip(),
            last_name=strip_ut_suffix(draft.last_name),
            birth_date=draft.birth_date,
            care_cannot_wait=draft.care_cannot_wait,
        )
    if kind == CaseKind.ASYLUM:
        lma = parse_lma(draft.lma_number)
        values.update(
            lma_number=lma.key,
            lma_card_sequence=lma.card_sequence,
            lma_valid_until=draft.lma_valid_until,
        )
    if kind == CaseKind.PROTECTED_IDENTITY:
        values.update(care_of=draft.care_of.strip())
    if kind in (CaseKind.OUT_OF_ASSORTMENT, CaseKind.OUTSIDE_REGION):
        values.update(patient=draft.patient)
    if kind == CaseKind.OUTSIDE_REGION and draft.patient is None:
        pnr = parse_personal_number(draft.personal_number, field="personal_number")
        values.update(
            personal_number=pnr.canonical,
            first_name=draft.first_name.strip(),
            last_name=draft.last_name.strip(),
            birth_date=pnr.birth_date,
        )
    if kind == CaseKind.OUT_OF_ASSORTMENT or not draft.product.procured:
        values.update(justification=draft.justification.strip())  # OOA-1
    return values


def submit_case(draft: CaseDraft, *, actor: Actor) -> Case:
    """The prescriber sends the digital form to customer service; refused with every
    problem at once if it is incomplete, and then nothing is stored."""
    _require_prescriber(actor)
    problems = validate_case(draft, actor=actor)
    if problems:
        raise DomainError(*problems)
    assert actor.unit is not None
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.create(
            kind=draft.kind,
            submitted_by=actor.user,
            unit=actor.unit,
            submitted_at=now,
            updated_at=now,
            **_fields(draft, actor),
        )
        CaseEvent.objects.create(
            case=case, at=now, to_status=case.status, actor_hsa_id=actor.hsa_id
        )
        record(
            "cases.case.submitted",
            actor=actor,
            patient=case.patient,
            obj=case,
            data={"kind": case.kind},
        )
    return case


def complete_case(case: Case, draft: CaseDraft, *, actor: Actor) -> Case:
    """The prescriber completes a returned case and sends it again (OOA-2)."""
    _require_prescriber(actor)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise DomainError.single("case_not_found", "Ärendet finns inte.")
    if draft.kind != case.kind:
        raise DomainError.single("case_kind_fixed", "Ärendets typ kan inte ändras.", "kind")
    problems = validate_case(draft, actor=actor)
    if problems:
        raise DomainError(*problems)
    with transaction.atomic():
        return _move(
            case,
            CaseStatus.RESUBMITTED,
            actor=actor,
            changes=_fields(draft, actor),
        )
