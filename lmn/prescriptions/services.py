"""Registering prescriptions (GEN-2, GEN-6, ACC-2, ACC-3, CH-2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from lmn.audit.services import record
from lmn.catalog.models import Product, ProductArea
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, PermissionDenied, Problem
from lmn.core.transitions import sources
from lmn.patients.models import ASYLUM_UNIT_KINDS, IdentityKind, Patient, Region

from .models import ConsumptionPeriod, Prescription
from .policy import asylum_unit_number, policy_for
from .states import TRANSITIONS, EndReason, PrescriptionStatus, VersionKind
from .versions import snapshot

MAX_CONSUMPTION = 10_000
_PHARMACY_AREAS = {ProductArea.DIABETES, ProductArea.STOMA}


@dataclass
class PrescriptionDraft:
    patient: Patient
    product: Product
    consumption_amount: int
    consumption_period: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    max_supply_days: int | None = None
    instructions: str = ""
    # ASYL-2/UT-1: the prescriber's decision that the care cannot wait (adults only)
    care_cannot_wait: bool | None = None
    # OOA-1: why the procured assortment does not meet the need (from the approved case)
    justification: str = ""


ADULT_AGE = 18


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def create_prescription(
    draft: PrescriptionDraft,
    *,
    actor: Actor,
    authorised_by_case: bool = False,
    replaces: Prescription | None = None,
) -> Prescription:
    """Register a prescription.

    `authorised_by_case` is passed only by the cases app when customer service approves a
    case: it lets through what CH-1 and OOA-1 send to a case (a patient outside the
    region, a product outside the assortment, a protected identity). CH-2 holds anyway.
    """
    if not actor.may_prescribe or actor.unit is None:
        raise PermissionDenied("ACC-2", "Din roll får inte förskriva.")
    problems = prescription_problems(draft, actor=actor, authorised_by_case=authorised_by_case)
    if problems:
        raise DomainError(*problems)
    valid_from, valid_until, max_supply = _terms(draft)
    instructions = draft.instructions.strip()
    with transaction.atomic():
        prescription = Prescription.objects.create(
            patient=draft.patient,
            product=draft.product,
            unit=actor.unit,
            prescriber=actor.user,
            consumption_amount=draft.consumption_amount,
            consumption_period=draft.consumption_period,
            valid_from=valid_from,
            valid_until=valid_until,
            max_supply_days=max_supply,
            instructions=instructions,
            care_cannot_wait=(
                draft.care_cannot_wait if draft.patient.identity_kind in ASYLUM_UNIT_KINDS else None
            ),
            single_withdrawal=draft.patient.identity_kind == IdentityKind.PROTECTED,
            replaces=replaces,
        )
        snapshot(prescription, VersionKind.CREATED, actor=actor)
        record(
            "prescriptions.prescription.created",
            actor=actor,
            patient=draft.patient,
            obj=prescription,
            data={
                "article_number": draft.product.article_number,
                **({"replaces": replaces.reference} if replaces else {}),
            },
        )
    return prescription


def prescription_problems(
    draft: PrescriptionDraft, *, actor: Actor, authorised_by_case: bool = False
) -> list[Problem]:
    """Every problem with the draft at once (none: it may be registered); writes nothing.

    Forms call this with what did parse, so a prescriber sees the rules' problems
    beside the form's own in one answer.
    """
    if not actor.may_prescribe or actor.unit is None:
        raise PermissionDenied("ACC-2", "Din roll får inte förskriva.")
    return [
        *_product_problems(draft, actor, authorised_by_case),
        *_special_identity_problems(draft, actor, authorised_by_case),
        *_term_problems(draft),
    ]


def _product_problems(
    draft: PrescriptionDraft, actor: Actor, authorised_by_case: bool
) -> list[Problem]:
    """ACC-3, CH-1, CH-2, OOA-1: may this prescriber prescribe this product to this patient."""
    area = draft.product.area.code
    problems: list[Problem] = []
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
    if draft.patient.deceased_on is not None:
        problems.append(
            Problem(
                "patient_deceased", "Patienten har avlidit enligt folkbokföringen.", "patient_id"
            )
        )
    if draft.patient.resident_region != Region.VASTRA_GOTALAND:
        if area in _PHARMACY_AREAS:
            problems.append(
                Problem(
                    "CH-2",
                    "Patienten är inte folkbokförd i regionen. Diabetes- och stomiprodukter "
                    "förskrivs på hjälpmedelskort och hämtas på apotek; hemregionen betalar.",
                    "patient_id",
                )
            )
        elif not authorised_by_case:
            problems.append(
                Problem(
                    "CH-1",
                    "Patienten är inte folkbokförd i regionen. Inkontinens- och "
                    "nutritionsprodukter förskrivs då via blankett till kundtjänst.",
                    "patient_id",
                )
            )
    problems.extend(_out_of_assortment_problems(draft, authorised_by_case))
    return problems


def _terms(draft: PrescriptionDraft) -> tuple[dt.date, dt.date, int]:
    """Valid from, valid until and the longest supply, defaults filled in from the policy."""
    policy = policy_for(draft.product.area.code)
    valid_from = draft.valid_from or clock.today()
    valid_until = draft.valid_until or clock.add_months(valid_from, policy.validity_months)
    return valid_from, valid_until, draft.max_supply_days or policy.max_supply_days


def consumption_problems(amount: int, period: str) -> list[Problem]:
    """The consumption a prescription (or a case that becomes one) states: a whole number
    within bounds, per day, week or month."""
    problems: list[Problem] = []
    if not 1 <= amount <= MAX_CONSUMPTION:
        problems.append(
            Problem(
                "invalid_consumption",
                f"Förbrukningen ska vara ett heltal mellan 1 och {MAX_CONSUMPTION}.",
                "consumption.amount",
            )
        )
    if period not in ConsumptionPeriod.values:
        problems.append(
            Problem(
                "invalid_consumption_period",
                "Ange förbrukning per dag, vecka eller månad.",
                "consumption.per",
            )
        )
    return problems


def _term_problems(draft: PrescriptionDraft) -> list[Problem]:
    """Consumption, validity, longest supply and instructions."""
    policy = policy_for(draft.product.area.code)
    problems: list[Problem] = []
    problems.extend(consumption_problems(draft.consumption_amount, draft.consumption_period))
    valid_from, valid_until, max_supply = _terms(draft)
    if valid_from < clock.today():
        problems.append(
            Problem(
                "date_in_past", "Giltig från kan inte vara ett datum som passerat.", "valid_from"
            )
        )
    longest_until = clock.add_months(valid_from, policy.validity_months)
    if not valid_from < valid_until <= longest_until:
        problems.append(
            Problem(
                "invalid_validity",
                f"Giltig till ska vara efter giltig från och högst {policy.validity_months} "
                f"månader framåt ({longest_until.isoformat()}).",
                "valid_until",
            )
        )
    if not 1 <= max_supply <= policy.max_supply_days:
        problems.append(
            Problem(
                "invalid_max_supply",
                f"Längsta uttagsperiod är 1–{policy.max_supply_days} dagar.",
                "max_supply_days",
            )
        )
    if len(draft.instructions.strip()) > 500:
        problems.append(Problem("too_long", "Högst 500 tecken är tillåtna.", "instructions"))
    return problems


def end_by_system(prescription: Prescription, *, reason: str, actor: Actor) -> bool:
    """End an active prescription because of something the system learnt (e.g. the
    register reports the patient deceased); audited. False if it had already ended."""
    if actor.role != Role.SYSTEM:
        raise PermissionDenied("system_only", "Bara systemet avslutar förskrivningar så.")
    with transaction.atomic():
        # conditional on a status TRANSITIONS lets end: a concurrent run ends each
        # prescription once and audits it once, and an ended one stays as it is
        ended = Prescription.objects.filter(
            pk=prescription.pk, status__in=sources(TRANSITIONS, PrescriptionStatus.ENDED)
        ).update(
            status=PrescriptionStatus.ENDED,
            ended_at=clock.now(),
            end_reason=reason if reason in EndReason.values else "",
            version=F("version") + 1,
        )
        if ended:
            # the history shows the system's ending as a version like a prescriber's
            snapshot(
                Prescription.objects.select_related("unit").get(pk=prescription.pk),
                VersionKind.ENDED,
                actor=actor,
                note=reason[:200],
            )
            record(
                "prescriptions.prescription.ended",
                actor=actor,
                patient=prescription.patient,
                obj=prescription,
                data={"reason": reason},
            )
    return bool(ended)


def _out_of_assortment_problems(
    draft: PrescriptionDraft, authorised_by_case: bool
) -> list[Problem]:
    """OOA-1: outside the assortment only through a case, and never without a justification,
    whichever kind of case approved it."""
    if draft.product.procured:
        return []
    if not authorised_by_case:
        return [
            Problem(
                "OOA-1",
                "Produkten ingår inte i det upphandlade sortimentet. Den förskrivs via ett "
                "ärende till kundtjänst med motivering till varför sortimentet inte räcker.",
                "article_number",
            )
        ]
    if not draft.justification.strip():
        return [
            Problem(
                "OOA-1",
                "Produkten ingår inte i det upphandlade sortimentet och ärendet saknar "
                "motivering. Skicka tillbaka ärendet för komplettering.",
                "justification",
            )
        ]
    return []


def _special_identity_problems(
    draft: PrescriptionDraft, actor: Actor, authorised_by_case: bool
) -> list[Problem]:
    """ASYL-2/-3, UT-1/-2 and SKYDD-2 for prescriptions after the first one."""
    patient = draft.patient
    kind = patient.identity_kind
    problems: list[Problem] = []
    if kind == IdentityKind.PROTECTED and not authorised_by_case:
        problems.append(
            Problem(
                "SKYDD-2",
                "Förskrivning till person med skyddade personuppgifter görs via ärende till "
                "kundtjänst; varje förskrivning medger ett uttag.",
                "patient_id",
            )
        )
    if kind not in ASYLUM_UNIT_KINDS:
        return problems
    rule = "ASYL" if kind == IdentityKind.LMA else "UT"
    number = asylum_unit_number()
    if actor.unit is None or actor.unit.customer_number != number:
        problems.append(
            Problem(
                f"{rule}-3" if rule == "ASYL" else "UT-2",
                f"Förskrivning till asylsökande och personer utan tillstånd görs på "
                f"kundnummer {number} (Asylenheten), som faktureras.",
                "unit",
            )
        )
    today = clock.today()
    if age_on(patient.birth_date, today) >= ADULT_AGE and draft.care_cannot_wait is not True:
        problems.append(
            Problem(
                "ASYL-2" if rule == "ASYL" else "UT-1",
                "Vuxna asylsökande och personer utan tillstånd har rätt till vård som inte kan "
                "anstå: ange ditt beslut att vården inte kan vänta.",
                "care_cannot_wait",
            )
        )
    if kind == IdentityKind.LMA and patient.lma_valid_until and patient.lma_valid_until < today:
        problems.append(
            Problem(
                "ASYL-3",
                f"LMA-kortet gick ut {patient.lma_valid_until.isoformat()}. Be patienten visa "
                "ett giltigt LMA-kort och kontakta kundtjänst.",
                "lma_valid_until",
            )
        )
    return problems


def move_to_patient(old: Patient, new: Patient) -> int:
    """Identity conversion (ASYL-7, UT-6): the old record's prescriptions now belong to the
    new one. Inside the conversion's transaction, which audits it; returns how many."""
    return Prescription.objects.filter(patient=old).update(patient=new)


def has_prescriptions(patient: Patient) -> bool:
    return Prescription.objects.filter(patient=patient).exists()
