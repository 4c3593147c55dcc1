"""Customer-service cases: submitted by the prescriber, decided by customer service.

The case replaces the faxed forms of the routine (CH-1): asylum seekers (ASYL-3..ASYL-5),
persons without permit (UT-2..UT-4), protected identities (SKYDD-2..SKYDD-5), products
outside the assortment (OOA-1, OOA-2) and patients registered in another region (CH-1).
A case is validated when it is filled in; customer service approves it, returns it for
completion with a stated reason, or rejects it, and the prescriber gets an e-mail about
every decision (CON-4). Approval registers the patient and creates the prescription in
the same transaction as the decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from lmn.accounts.models import Membership, User
from lmn.accounts.services import actor_for
from lmn.audit.services import record
from lmn.catalog.models import Product, ProductArea
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, PermissionDenied, Problem
from lmn.notifications.services import queue
from lmn.organisations.models import PrescribingUnit
from lmn.patients.identifiers import LmaNumber, parse_lma, parse_personal_number
from lmn.patients.models import Patient, Region
from lmn.patients.queries import patients_visible_to
from lmn.patients.services import (
    check_birth_date,
    findable_in_register,
    register_lma_patient,
    register_protected_patient,
    register_unlisted_patient,
    register_ut_patient,
    strip_ut_suffix,
)
from lmn.prescriptions.models import ConsumptionPeriod, Prescription
from lmn.prescriptions.policy import asylum_unit_number
from lmn.prescriptions.services import (
    ADULT_AGE,
    MAX_CONSUMPTION,
    PrescriptionDraft,
    age_on,
    create_prescription,
)

from .models import Case, CaseEvent
from .states import TRANSITIONS, CaseKind, CaseStatus

_PHARMACY_AREAS = {ProductArea.DIABETES, ProductArea.STOMA}
_FORM_AREAS_OUTSIDE_REGION = {
    ProductArea.INCONTINENCE,
    ProductArea.NUTRITION,
    ProductArea.TUBE_FEEDING,
}


@dataclass
class CaseDraft:
    """What the prescriber fills in. Only the fields of the kind are looked at."""

    kind: str
    product: Product
    consumption_amount: int
    consumption_period: str
    instructions: str = ""
    patient: Patient | None = None
    first_name: str = ""
    last_name: str = ""
    birth_date: dt.date | None = None
    lma_number: str = ""
    lma_valid_until: dt.date | None = None
    care_cannot_wait: bool | None = None
    justification: str = ""
    care_of: str = ""
    # outside the region: a person the register does not give LMN (PAT-1, PAT-2)
    personal_number: str = ""


def cases_visible_to(actor: Actor) -> Any:
    """Customer service sees every case; a prescriber the cases of the acting unit."""
    if actor.role == Role.CUSTOMER_SERVICE:
        return Case.objects.all()
    if actor.unit is None:
        return Case.objects.none()
    return Case.objects.filter(unit=actor.unit)


def work_queue(*, actor: Actor, kind: str | None = None) -> list[Case]:
    """Open cases for customer service, oldest first (the back office's queue)."""
    _require_customer_service(actor)
    qs = Case.objects.filter(status__in=[CaseStatus.SUBMITTED, CaseStatus.RESUBMITTED])
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.select_related("product", "unit", "patient").order_by("submitted_at", "pk"))


# --- validation -------------------------------------------------------------------------


def _blank(value: str | None) -> bool:
    return not (value or "").strip()


def validate_case(draft: CaseDraft, *, actor: Actor) -> list[Problem]:
    """Every problem with the filled-in form, all at once; writes nothing."""
    problems: list[Problem] = []
    if draft.kind not in CaseKind.values:
        return [Problem("invalid_case_kind", "Välj vilken sorts ärende det gäller.", "kind")]
    area = draft.product.area.code
    if not actor.may_prescribe_in(area):
        problems.append(
            Problem(
                "ACC-3",
                f"Du saknar behörighet att förskriva inom {draft.product.area.name}.",
                "article_number",
            )
        )
    if not draft.product.active:
        problems.append(
            Problem(
                "product_inactive", "Produkten finns inte längre i sortimentet.", "article_number"
            )
        )
    if not 1 <= draft.consumption_amount <= MAX_CONSUMPTION:
        problems.append(
            Problem(
                "invalid_consumption",
                f"Förbrukningen ska vara ett heltal mellan 1 och {MAX_CONSUMPTION}.",
                "consumption.amount",
            )
        )
    if draft.consumption_period not in ConsumptionPeriod.values:
        problems.append(
            Problem(
                "invalid_consumption_period",
                "Ange förbrukning per dag, vecka eller månad.",
                "consumption.per",
            )
        )
    if len(draft.instructions.strip()) > 500:
        problems.append(Problem("too_long", "Högst 500 tecken är tillåtna.", "instructions"))
    check = {
        CaseKind.ASYLUM: _asylum_problems,
        CaseKind.WITHOUT_PERMIT: _without_permit_problems,
        CaseKind.PROTECTED_IDENTITY: _protected_problems,
        CaseKind.OUT_OF_ASSORTMENT: _out_of_assortment_problems,
        CaseKind.OUTSIDE_REGION: _outside_region_problems,
    }[CaseKind(draft.kind)]
    problems.extend(check(draft, actor))
    if not draft.product.procured and draft.kind != CaseKind.OUT_OF_ASSORTMENT:
        problems.extend(_justification_problems(draft))
    return problems


def _justification_problems(draft: CaseDraft) -> list[Problem]:
    """OOA-1 on every kind of form: a product outside the assortment always needs the
    prescriber's justification (asylum, without permit and protected identity included).
    The form about a patient of another region sends it to its own case instead."""
    if draft.kind == CaseKind.OUTSIDE_REGION or not _blank(draft.justification):
        return []
    return [
        Problem(
            "OOA-1",
            "Produkten ingår inte i det upphandlade sortimentet. Motivera varför sortimentet "
            "inte tillgodoser patientens behov.",
            "justification",
        )
    ]


def _name_problems(draft: CaseDraft) -> list[Problem]:
    problems = []
    if _blank(draft.first_name):
        problems.append(Problem("first_name_required", "Ange patientens förnamn.", "first_name"))
    if _blank(strip_ut_suffix(draft.last_name or "")):
        problems.append(Problem("last_name_required", "Ange patientens efternamn.", "last_name"))
    return problems


def _adult_decision(draft: CaseDraft, rule: str) -> list[Problem]:
    """ASYL-2/UT-1: children have full rights; adults need the prescriber's decision."""
    if draft.birth_date is None or draft.birth_date > clock.today():
        return []
    if age_on(draft.birth_date, clock.today()) >= ADULT_AGE and draft.care_cannot_wait is not True:
        return [
            Problem(
                rule,
                "Vuxna har rätt till vård som inte kan anstå. Ange ditt beslut att vården "
                "inte kan vänta.",
                "care_cannot_wait",
            )
        ]
    return []


def _no_existing_patient(draft: CaseDraft) -> list[Problem]:
    if draft.patient is not None:
        return [
            Problem(
                "patient_not_expected",
                "Personen finns inte i folkbokföringen: ange namn och födelsedatum i stället "
                "för att välja en patient.",
                "patient_id",
            )
        ]
    return []


def _asylum_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    problems = _no_existing_patient(draft) + _name_problems(draft)
    problems += check_birth_date(draft.birth_date)
    try:
        parse_lma(draft.lma_number)
    except DomainError as error:
        problems.extend(error.problems)
    if draft.lma_valid_until is None:
        problems.append(
            Problem("ASYL-3", "Ange till vilket datum LMA-kortet är giltigt.", "lma_valid_until")
        )
    elif draft.lma_valid_until < clock.today():
        problems.append(
            Problem(
                "ASYL-3",
                f"LMA-kortet gick ut {draft.lma_valid_until.isoformat()}. Ett giltigt LMA-kort "
                "krävs.",
                "lma_valid_until",
            )
        )
    problems += _adult_decision(draft, "ASYL-2")
    return problems


def _without_permit_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    problems = _no_existing_patient(draft) + _name_problems(draft)
    if draft.birth_date is None:
        problems.append(
            Problem(
                "UT-2",
                "Ange födelsedatum (ÅÅÅÅMMDD): personen registreras med födelsedatum och namn "
                "följt av ” - UT”.",
                "birth_date",
            )
        )
    else:
        problems += check_birth_date(draft.birth_date)
    if not _blank(draft.lma_number):
        problems.append(
            Problem(
                "UT-6",
                "Personen har ett LMA-nummer: använd ärendet för asylsökande.",
                "lma_number",
            )
        )
    problems += _adult_decision(draft, "UT-1")
    return problems


def _protected_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    problems: list[Problem] = []
    given = [
        name
        for name, value in (
            ("patient_id", draft.patient),
            ("first_name", draft.first_name.strip()),
            ("last_name", draft.last_name.strip()),
            ("birth_date", draft.birth_date),
            ("lma_number", draft.lma_number.strip()),
        )
        if value
    ]
    for name in given:
        problems.append(
            Problem(
                "SKYDD-2",
                "Ange inga patientuppgifter: den förskrivande enheten står som mottagare.",
                name,
            )
        )
    if _blank(draft.care_of):
        problems.append(
            Problem(
                "SKYDD-5",
                "Ange c/o: namnet på den som ansvarar för leveransen på enheten.",
                "care_of",
            )
        )
    user = actor.user
    if user is None or _blank(user.email) or _blank(user.phone):
        problems.append(
            Problem(
                "SKYDD-4",
                "Din e-postadress och ditt telefonnummer anges som kontakt. Fyll i dem på Min "
                "sida först.",
                "contact",
            )
        )
    return problems


def _visible_patient_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    if draft.patient is None or not patients_visible_to(actor).filter(pk=draft.patient.pk).exists():
        return [Problem("patient_required", "Välj patienten som ärendet gäller.", "patient_id")]
    return []


def _out_of_assortment_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    problems = _visible_patient_problems(draft, actor)
    if draft.product.procured:
        problems.append(
            Problem(
                "in_assortment",
                "Produkten ingår i det upphandlade sortimentet: förskriv den direkt.",
                "article_number",
            )
        )
    if _blank(draft.justification):
        problems.append(
            Problem(
                "OOA-1",
                "Motivera varför det upphandlade sortimentet inte tillgodoser patientens behov.",
                "justification",
            )
        )
    if (
        not problems
        and draft.patient is not None
        and draft.patient.resident_region != Region.VASTRA_GOTALAND
        and draft.product.area.code in _PHARMACY_AREAS
    ):
        problems.append(_ch2())
    return problems


def _ch2() -> Problem:
    return Problem(
        "CH-2",
        "Patienten är inte folkbokförd i regionen. Diabetes- och stomiprodukter förskrivs på "
        "hjälpmedelskort och hämtas på apotek; hemregionen betalar.",
        "patient_id",
    )


def _unlisted_person_problems(draft: CaseDraft) -> list[Problem]:
    """A person the register does not give LMN: registered in another region, or with a
    samordningsnummer (PAT-1, PAT-2). Customer service registers them on approval."""
    problems = _name_problems(draft)
    try:
        pnr = parse_personal_number(draft.personal_number, field="personal_number")
    except DomainError as error:
        return list(error.problems) + problems
    if findable_in_register(pnr) is not None:
        problems.append(
            Problem(
                "patient_in_register",
                "Personen finns i folkbokföringen för Västra Götaland och Halland: sök fram "
                "patienten med numret och förskriv därifrån.",
                "personal_number",
            )
        )
    return problems


def _outside_region_problems(draft: CaseDraft, actor: Actor) -> list[Problem]:
    if draft.patient is None:
        if _blank(draft.personal_number):
            problems = [
                Problem(
                    "personal_number_required",
                    "Ange patientens personnummer eller samordningsnummer.",
                    "personal_number",
                )
            ]
            problems += _name_problems(draft)
        else:
            problems = _unlisted_person_problems(draft)
    else:
        problems = _visible_patient_problems(draft, actor)
        if problems:
            return problems
        if draft.patient.resident_region == Region.VASTRA_GOTALAND:
            problems.append(
                Problem(
                    "patient_in_region",
                    "Patienten är folkbokförd i regionen: förskriv direkt i systemet.",
                    "patient_id",
                )
            )
    area = draft.product.area.code
    if area in _PHARMACY_AREAS:
        problems.append(_ch2())
    elif area not in _FORM_AREAS_OUTSIDE_REGION:
        problems.append(
            Problem("CH-1", "Ärendet gäller inkontinens- och nutritionsprodukter.", "product")
        )
    if not draft.product.procured:
        problems.append(
            Problem(
                "OOA-1",
                "Produkten ingår inte i sortimentet: gör ett ärende för produkt utanför "
                "sortiment, med motivering.",
                "article_number",
            )
        )
    return problems


# --- submitting and completing -------------------------------------------------------------


def _require_prescriber(actor: Actor) -> None:
    if not actor.may_prescribe or actor.unit is None or actor.user is None:
        raise PermissionDenied("ACC-2", "Bara förskrivare kan skicka ärenden.")


def _require_customer_service(actor: Actor) -> None:
    if actor.role != Role.CUSTOMER_SERVICE:
        raise PermissionDenied("customer_service_only", "Bara kundtjänst beslutar om ärenden.")


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


# --- deciding -------------------------------------------------------------------------------


def _move(
    case: Case,
    to: str,
    *,
    actor: Actor,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> Case:
    """Move a case if TRANSITIONS allows it, by a conditional update on the status.

    Two agents deciding the same case at once: both read "submitted", one UPDATE matches
    and the other matches nothing (on PostgreSQL it waits for the first to commit, then
    re-reads the row), so exactly one decision wins and the other is refused.
    """
    current = Case.objects.get(pk=case.pk)
    if to not in TRANSITIONS[current.status]:
        raise _not_now(current)
    now = clock.now()
    updated = Case.objects.filter(pk=current.pk, status=current.status).update(
        status=to, updated_at=now, **(changes or {})
    )
    if updated != 1:
        current.refresh_from_db()
        raise _not_now(current)
    CaseEvent.objects.create(
        case=current,
        at=now,
        from_status=current.status,
        to_status=to,
        actor_hsa_id=actor.hsa_id,
        reason=reason,
    )
    current.refresh_from_db()
    return current


def _not_now(current: Case) -> DomainError:
    if current.status in (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.RETURNED):
        return DomainError.single(
            "case_already_decided",
            f"Ärendet är redan beslutat ({current.get_status_display().lower()}) av en annan "
            "handläggare. Ladda om ärendet.",
            "status",
        )
    return DomainError.single(
        "invalid_transition",
        f"Ärendet kan inte ändras när det är {current.get_status_display().lower()}.",
        "status",
    )


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


def _carry_out(case: Case, *, actor: Actor) -> tuple[Patient, Prescription]:
    kind = case.kind
    prescriber: User = case.submitted_by
    if kind in (CaseKind.ASYLUM, CaseKind.WITHOUT_PERMIT):
        _require_area_at_own_unit(prescriber, case.unit, case.product.area)
        unit = _asylum_unit()
        membership = _grant_asylum_unit(prescriber, unit, case.product.area, actor=actor)
        if kind == CaseKind.ASYLUM:
            assert case.birth_date is not None
            patient = register_lma_patient(
                first_name=case.first_name,
                last_name=case.last_name,
                birth_date=case.birth_date,
                lma=LmaNumber(case.lma_number, case.lma_card_sequence),
                lma_valid_until=case.lma_valid_until,
                actor=actor,
            )
        else:
            assert case.birth_date is not None
            patient = register_ut_patient(
                first_name=case.first_name,
                last_name=case.last_name,
                birth_date=case.birth_date,
                actor=actor,
            )
    else:
        membership = _membership_in(prescriber, case.unit)
        if kind == CaseKind.PROTECTED_IDENTITY:
            patient = register_protected_patient(unit=case.unit, actor=actor)
        elif kind == CaseKind.OUTSIDE_REGION and case.patient is None:
            patient = register_unlisted_patient(
                personal_number=case.personal_number,
                first_name=case.first_name,
                last_name=case.last_name,
                actor=actor,
            )
        else:
            assert case.patient is not None
            patient = case.patient
    prescription = create_prescription(
        PrescriptionDraft(
            patient=patient,
            product=case.product,
            consumption_amount=case.consumption_amount,
            consumption_period=case.consumption_period,
            instructions=case.instructions,
            care_cannot_wait=case.care_cannot_wait,
            justification=case.justification,
        ),
        actor=actor_for(membership),
        authorised_by_case=True,
    )
    return patient, prescription


def _asylum_unit() -> PrescribingUnit:
    number = asylum_unit_number()
    unit = PrescribingUnit.objects.filter(customer_number=number, active=True).first()
    if unit is None:
        raise DomainError.single(
            "asylum_unit_missing",
            f"Kundnummer {number} (Asylenheten) finns inte i LMN. Kontakta LMN-administrationen.",
        )
    return unit


def _grant_asylum_unit(
    prescriber: User, unit: PrescribingUnit, area: ProductArea, *, actor: Actor
) -> Membership:
    """ASYL-4/UT-3: customer service gives the prescriber access to 601628 if lacking, for
    the product area of the case."""
    membership = (
        Membership.objects.filter(
            user=prescriber, unit=unit, role__in=Role.PRESCRIBING, active=True
        )
        .order_by("pk")
        .first()
    )
    if membership is None:
        membership, _ = Membership.objects.update_or_create(
            user=prescriber, unit=unit, role=Role.PRESCRIBER, defaults={"active": True}
        )
        membership.areas.add(area)
        record(
            "accounts.membership.granted",
            actor=actor,
            obj=membership,
            data={"unit": unit.customer_number, "user": prescriber.hsa_id, "area": area.code},
        )
    elif membership.role != Role.DOCTOR and not membership.areas.filter(pk=area.pk).exists():
        membership.areas.add(area)
        record(
            "accounts.membership.area_added",
            actor=actor,
            obj=membership,
            data={"unit": unit.customer_number, "user": prescriber.hsa_id, "area": area.code},
        )
    return (
        Membership.objects.prefetch_related("areas")
        .select_related("user", "unit")
        .get(pk=membership.pk)
    )


def _require_area_at_own_unit(prescriber: User, unit: PrescribingUnit, area: ProductArea) -> None:
    """ACC-3 at approval: the prescriber must still hold the case's product area at the
    unit that sent it, or approval would hand out at 601628 an area they lack at home."""
    if not actor_for(_membership_in(prescriber, unit)).may_prescribe_in(area.code):
        raise DomainError.single(
            "ACC-3",
            f"Förskrivaren har inte längre behörighet inom {area.name} på sin enhet. Avslå "
            "ärendet eller be enheten skicka ett nytt.",
            "article_number",
        )


def _membership_in(prescriber: User, unit: PrescribingUnit) -> Membership:
    membership = (
        Membership.objects.filter(
            user=prescriber, unit=unit, role__in=Role.PRESCRIBING, active=True
        )
        .select_related("user", "unit")
        .prefetch_related("areas")
        .first()
    )
    if membership is None:
        raise DomainError.single(
            "prescriber_left_unit",
            "Förskrivaren har inte längre behörighet i enheten. Avslå ärendet eller be enheten "
            "skicka ett nytt.",
        )
    return membership


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
    lines = [
        f"Ditt ärende {case.reference} ({case.get_kind_display()}) {_DECISION_TEXT[case.status]}."
    ]
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
