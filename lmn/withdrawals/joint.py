"""Joint orders for special housing (SAM-1..SAM-4, AKUT-7, GEN-1) and the ward overview.

A Beställare with the permission "Sambeställning – Särskilt boende" orders for several
residents of the ward they act in at once. Each resident still gets an individual
withdrawal, checked and charged exactly as a single one would be (GEN-1); the
`JointOrder` groups them so the distributor delivers them together, in the daytime, to
the ward's designated place (SAM-3). All withdrawals are placed or none is.

Tube-feeding accessories ("Nutrition – Sondmatningstillbehör (plast)") count as
nutrition here. The routine's permission reads "Sambeställning – Särskilt boende (ej
Nutrition)" and names that area as part of nutrition; dietitians prescribe both together.
Refusing is the safe mistake: each resident's tube-feeding items can still be ordered
individually. If the region decides otherwise, remove the area from
`JOINT_EXCLUDED_AREAS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound, Problem
from lmn.delivery.calendar import Promise
from lmn.delivery.details import DeliveryRequest, Destination, Speed, validate_delivery
from lmn.delivery.rules import DeliveryPlan
from lmn.organisations.models import PrescribingUnit
from lmn.patients.models import Patient
from lmn.patients.queries import patients_visible_to
from lmn.prescriptions.models import Prescription

from .models import JointOrder
from .services import LineDraft, WithdrawalDraft, next_in_series
from .services.check import _check
from .services.place import _place
from .services.shape import _fill_address_defaults, _validate_lines
from .shipment import DAYTIME_WINDOW
from .wards import JOINT_EXCLUDED_AREAS, _refuse, _require_ward

MAX_RESIDENTS = 60


@dataclass
class ResidentLines:
    """What one resident gets in a joint order: still an individual withdrawal (GEN-1)."""

    patient: Patient
    lines: list[LineDraft]


@dataclass
class JointOrderDraft:
    ward: PrescribingUnit
    residents: list[ResidentLines]
    speed: str = Speed.STANDARD
    contact_person: str = ""  # who on the ward receives the delivery
    phone: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    idempotency_key: str = ""  # the same key again answers with the order already placed


def _order_problems(draft: JointOrderDraft, *, actor: Actor) -> list[Problem]:
    """Every joint-order rule, all problems together; writes nothing."""
    problems = _ward_problems(draft.ward) + _speed_problems(draft.speed)
    if len(draft.residents) < 2:
        problems.append(
            Problem(
                "SAM-1",
                "En sambeställning gäller flera patienter; för en patient gör ett vanligt uttag.",
                "residents",
            )
        )
    if len(draft.residents) > MAX_RESIDENTS:
        problems.append(
            Problem("too_many_residents", f"Högst {MAX_RESIDENTS} patienter per sambeställning.")
        )
    seen: set[int] = set()
    for i, item in enumerate(draft.residents):
        where = f"residents[{i}]"
        if item.patient.pk in seen:
            problems.append(
                Problem("duplicate_patient", "Patienten finns två gånger.", f"{where}.patient")
            )
        seen.add(item.patient.pk)
        problems += _resident_problems(item, draft.ward, where)
    return problems


def _ward_problems(ward: PrescribingUnit) -> list[Problem]:
    """SAM-1 (a ward of special housing) and SAM-3 (its appointed delivery place)."""
    problems = []
    if ward.kind != PrescribingUnit.Kind.SPECIAL_HOUSING or not ward.active:
        problems.append(
            Problem(
                "SAM-1", "Sambeställning görs bara för en avdelning på särskilt boende.", "ward"
            )
        )
    if not ward.delivery_place.strip():
        problems.append(
            Problem(
                "SAM-3",
                "Avdelningen saknar anvisad leveransplats. Ansök om ändrad enhet med "
                "leveransplats innan ni sambeställer.",
                "ward",
            )
        )
    return problems


def _speed_problems(speed: str) -> list[Problem]:
    """A joint order goes at standard speed (AKUT-7, EXPR-1)."""
    if speed == Speed.EMERGENCY:
        text = (
            "Akutleverans till särskilt boende gäller en patient i taget: "
            "gör ett vanligt uttag för patienten."
        )
        return [Problem("AKUT-7", text, "speed")]
    if speed == Speed.EXPRESS:
        text = (
            "Expressleverans gäller bara nutrition, och nutrition ingår aldrig i en sambeställning."
        )
        return [Problem("EXPR-1", text, "speed")]
    if speed != Speed.STANDARD:
        return [Problem("invalid_speed", "Välj en giltig leveranshastighet.", "speed")]
    return []


def _resident_problems(item: ResidentLines, ward: PrescribingUnit, where: str) -> list[Problem]:
    """One resident: lives on this ward (SAM-1, SAM-2), valid lines, no nutrition (SAM-4)."""
    patient = item.patient
    problems = []
    if patient.care_home_unit_id is None:
        problems.append(
            Problem(
                "SAM-1",
                "Patienten bor inte på avdelningen och kan inte ingå i sambeställningen.",
                f"{where}.patient",
            )
        )
    elif patient.care_home_unit_id != ward.pk:
        problems.append(
            Problem(
                "SAM-2",
                "Patienten bor på en annan avdelning med ett annat kundnummer. "
                "En samleverans kan inte gå över olika kundnummer.",
                f"{where}.patient",
            )
        )
    try:
        _validate_lines(WithdrawalDraft(patient=patient, lines=item.lines))
    except DomainError as refused:
        problems.extend(
            Problem(p.code, p.message, f"{where}.{p.field}" if p.field else where)
            for p in refused.problems
        )
    areas = dict(
        Prescription.objects.filter(
            pk__in=[line.prescription_id for line in item.lines], patient=patient
        ).values_list("pk", "product__area__code")
    )
    for j, line in enumerate(item.lines):
        if areas.get(line.prescription_id) in JOINT_EXCLUDED_AREAS:
            problems.append(
                Problem(
                    "SAM-4",
                    "Nutrition (även sondmatningstillbehör) ingår aldrig i en "
                    "sambeställning: beställ den för patienten för sig.",
                    f"{where}.lines[{j}].prescription_id",
                )
            )
    return problems


def _drafts(draft: JointOrderDraft, *, actor: Actor) -> list[WithdrawalDraft]:
    """One withdrawal per resident, to the ward (destination unit), in patient-pk order.

    The fixed order makes concurrent joint orders lock prescriptions in the same order.
    """
    drafts = []
    for item in sorted(draft.residents, key=lambda r: r.patient.pk):
        w = WithdrawalDraft(
            patient=item.patient,
            lines=item.lines,
            delivery=DeliveryRequest(
                destination=Destination.UNIT,
                speed=Speed.STANDARD,
                contact_person=draft.contact_person,
                phone=draft.phone,
            ),
        )
        _fill_address_defaults(w, actor)
        validate_delivery(w.delivery)
        drafts.append(w)
    return drafts


@dataclass(frozen=True)
class JointOrderPreview:
    """What a joint order would do, shown for confirmation before it is placed."""

    plans: dict[int, DeliveryPlan]  # patient pk → that resident's promise and fees
    promise: Promise
    delivery_place: str
    window: str = DAYTIME_WINDOW


def preview_joint_order(draft: JointOrderDraft, *, actor: Actor) -> JointOrderPreview:
    """Every check placing makes, with each resident's promise and fees; writes nothing."""
    drafts, plans = _checked(draft, actor=actor, action="withdrawals.joint_order.previewed")
    by_patient = {w.patient.pk: plan for w, plan in zip(drafts, plans, strict=True)}
    return JointOrderPreview(by_patient, plans[0].promise, draft.ward.delivery_place)


def _checked(
    draft: JointOrderDraft, *, actor: Actor, action: str
) -> tuple[list[WithdrawalDraft], list[DeliveryPlan]]:
    """The joint order's and every resident's rules; refuses (audited) or answers the
    withdrawal drafts with their plans, in the drafts' order."""
    ward = draft.ward
    _require_ward(ward, actor=actor, action=action, joint=True)
    visible = set(
        patients_visible_to(actor)
        .filter(pk__in=[r.patient.pk for r in draft.residents])
        .values_list("pk", flat=True)
    )
    if any(r.patient.pk not in visible for r in draft.residents):
        _refuse(NotFound(), actor=actor, action=action, ward=ward)
    problems = _order_problems(draft, actor=actor)
    if problems:
        _refuse(DomainError(*problems), actor=actor, action=action, ward=ward)
    try:
        drafts = _drafts(draft, actor=actor)
    except DomainError as refused:
        _refuse(refused, actor=actor, action=action, ward=ward)
    # every resident's own rules (GEN-3 entitlement, UNIT-2 payer, delivery), reported together
    index = {r.patient.pk: i for i, r in enumerate(draft.residents)}
    plans = []
    for w in drafts:
        try:
            plans.append(_check(w, actor=actor, lock=False).plan)
        except DomainError as refused:
            where = f"residents[{index[w.patient.pk]}]"
            problems.extend(
                Problem(p.code, p.message, f"{where}.{p.field}" if p.field else where)
                for p in refused.problems
            )
    if problems:
        _refuse(DomainError(*problems), actor=actor, action=action, ward=ward)
    return drafts, plans


def place_joint_order(draft: JointOrderDraft, *, actor: Actor) -> JointOrder:
    """Place one joint order: every resident's withdrawal, or none (SAM-1..SAM-4, AKUT-7)."""
    action = "withdrawals.joint_order.placed"
    ward = draft.ward
    if (placed := _placed_before(draft)) is not None:
        return placed  # a repeated submit: checking again would refuse what it placed
    drafts, plans = _checked(draft, actor=actor, action=action)
    promise = plans[0].promise
    when = f" {promise.date.isoformat()}" if promise.date else ""
    note = f"Samleverans{when} dagtid {DAYTIME_WINDOW} till {ward.delivery_place}"[:200]
    try:
        with transaction.atomic():
            # Lock every resident's prescriptions first, in pk order, before anything
            # takes the audit chain's lock: a single withdrawal locks its prescriptions
            # and then the audit lock too, so both orders agree and cannot deadlock.
            list(
                Prescription.objects.select_for_update()
                .filter(pk__in=[line.prescription_id for w in drafts for line in w.lines])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            value = next_in_series("joint_order", sequence="lmn_joint_order_number", first=1)
            joint = JointOrder.objects.create(
                number=f"S{value:08d}",
                ward=ward,
                ordered_by=actor.user,
                placed_at=clock.now(),
                delivery_place=ward.delivery_place,
                promised_delivery_date=promise.date,
                promise_note=note,
                idempotency_key=draft.idempotency_key[:64],
            )
            # re-checked under lock inside _place: a race since the check refuses here
            withdrawals = [_place(w, actor=actor, joint_order=joint) for w in drafts]
            record(
                action,
                actor=actor,
                obj=joint,
                data={
                    "number": joint.number,
                    "ward": ward.customer_number,
                    "withdrawals": [w.number for w in withdrawals],
                },
            )
    except DomainError as refused:
        _refuse(refused, actor=actor, action=action, ward=ward)
    except IntegrityError:
        # a concurrent submit with the same key committed first (the unique constraint
        # waited for it): answer with its order; anything else is a real error
        if (placed := _placed_before(draft)) is None:
            raise
        return placed
    return joint


def _placed_before(draft: JointOrderDraft) -> JointOrder | None:
    if not draft.idempotency_key:
        return None
    found: JointOrder | None = JointOrder.objects.filter(
        ward=draft.ward, idempotency_key=draft.idempotency_key[:64]
    ).first()
    return found


__all__ = [
    "DAYTIME_WINDOW",
    "JOINT_EXCLUDED_AREAS",
    "MAX_RESIDENTS",
    "JointOrderDraft",
    "JointOrderPreview",
    "ResidentLines",
    "place_joint_order",
    "preview_joint_order",
]
