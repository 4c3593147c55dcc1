"""Placing withdrawals and moving them through their lifecycle (GEN-1, GEN-3..GEN-5, GEN-7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from lmn.audit.services import record
from lmn.catalog.models import Product
from lmn.catalog.services import release_stock, reserve_stock
from lmn.catalog.units import quantity_text
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, PermissionDenied, Problem
from lmn.delivery.details import DeliveryRequest, Destination, Speed, validate_delivery
from lmn.delivery.models import PickupPoint
from lmn.delivery.policy import region_policy
from lmn.delivery.rules import DeliveryPlan, plan_delivery
from lmn.organisations.models import Payer, UnitPayer
from lmn.patients.models import Dwelling, Patient
from lmn.prescriptions.entitlement import Entitlement
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.services import ADULT_AGE, age_on

from .models import (
    IdempotencyRecord,
    JointOrder,
    NumberCounter,
    Withdrawal,
    WithdrawalEvent,
    WithdrawalFee,
    WithdrawalLine,
)
from .permissions import area_problems, express_problems
from .queries import entitlements_for
from .states import TRANSITIONS, WithdrawalStatus

MAX_LINES = 30
MAX_QUANTITY = 100_000
FIRST_NUMBER = 13_200_000


@dataclass
class LineDraft:
    prescription_id: int
    quantity: int


@dataclass
class WithdrawalDraft:
    patient: Patient
    lines: list[LineDraft]
    delivery: DeliveryRequest = field(default_factory=DeliveryRequest)

    def fingerprint(self) -> str:
        body = {
            "patient": self.patient.pk,
            "lines": [asdict(line) for line in self.lines],
            "delivery": asdict(self.delivery),
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class IdempotencyConflict(Exception):
    """The key was used before with another request body."""


def event_actor(actor: Actor) -> dict[str, Any]:
    """Who acted, as a history row keeps it (the timeline names them from this)."""
    return {
        "actor_hsa_id": actor.hsa_id,
        "actor_role": actor.role,
        "actor_user": actor.user,
        "actor_unit": actor.unit,
    }


def _actor_key(actor: Actor) -> str:
    return f"{actor.hsa_id}@{actor.unit_number}"


def is_child(patient: Patient, *, on: dt.date) -> bool:
    """Under 18 on that day (PICK-8: who may collect at a pickup point)."""
    return age_on(patient.birth_date, on) < ADULT_AGE


def _line_problems(draft: WithdrawalDraft) -> list[Problem]:
    problems: list[Problem] = []
    if not draft.lines:
        problems.append(Problem("lines_required", "Välj minst en produkt att beställa.", "lines"))
    if len(draft.lines) > MAX_LINES:
        problems.append(Problem("too_many_lines", f"Högst {MAX_LINES} rader per uttag.", "lines"))
    seen = set()
    for i, line in enumerate(draft.lines):
        if not 1 <= line.quantity <= MAX_QUANTITY:
            problems.append(
                Problem(
                    "invalid_quantity",
                    "Antalet ska vara ett positivt heltal.",
                    f"lines[{i}].quantity",
                )
            )
        if line.prescription_id in seen:
            problems.append(
                Problem(
                    "duplicate_line",
                    "Samma förskrivning finns på flera rader.",
                    f"lines[{i}].prescription_id",
                )
            )
        seen.add(line.prescription_id)
    return problems


def _validate_lines(draft: WithdrawalDraft) -> None:
    """Raise the lines' own problems (a joint order checks each resident's lines so)."""
    if problems := _line_problems(draft):
        raise DomainError(*problems)


def _shape_problems(draft: WithdrawalDraft, actor: Actor) -> list[Problem]:
    """The lines' and the delivery details' own problems; the address defaults filled in.

    Returned, not raised: the rules are checked too before anything is refused, so one
    answer names every problem (four bad fields, four messages).
    """
    problems = _line_problems(draft)
    skip: set[str | None] = set()
    try:
        _fill_address_defaults(draft, actor)
    except DomainError as no_address:  # no such pickup point: its address is not missing
        problems.extend(no_address.problems)
        skip = {"delivery.street", "delivery.postcode", "delivery.city"}
    try:
        validate_delivery(draft.delivery)
    except DomainError as invalid:
        problems.extend(p for p in invalid.problems if p.field not in skip)
    return problems


def _fill_address_defaults(draft: WithdrawalDraft, actor: Actor) -> None:
    """Fill the address the destination implies.

    Home delivery goes to the registered address unless another is given (then the
    registered dwelling tells whether a door code is needed); a pickup point or the
    unit has its own address.
    """
    d = draft.delivery
    if draft.patient.protected:
        _protected_delivery(draft)
        return
    if d.destination == Destination.PICKUP_POINT:
        point = PickupPoint.objects.filter(code=d.pickup_point_id, active=True).first()
        if point is None:
            raise DomainError.single(
                "PICK-1",
                "Välj ett av transportörens utlämningsställen.",
                "delivery.pickup_point_id",
            )
        d.street, d.postcode, d.city = point.street, point.postcode, point.city
    elif d.destination == Destination.UNIT:
        if actor.unit is None:
            raise DomainError.single(
                "unit_required",
                "Leverans till enhet kräver att du agerar i en enhet.",
                "delivery.destination",
            )
        d.street, d.postcode, d.city = actor.unit.street, actor.unit.postcode, actor.unit.city
    elif not (d.street or d.postcode or d.city):
        d.street, d.postcode, d.city = (
            draft.patient.street,
            draft.patient.postcode,
            draft.patient.city,
        )
        if d.multi_family is None:
            d.multi_family = draft.patient.dwelling == Dwelling.MULTI_FAMILY


def _protected_delivery(draft: WithdrawalDraft) -> None:
    """A protected person's parcel goes to the prescribing unit, c/o the person responsible
    there (SKYDD-5), with the prescriber's e-mail and phone as contact (SKYDD-4)."""
    d = draft.delivery
    unit = draft.patient.protected_unit
    problems: list[Problem] = []
    if d.destination != Destination.UNIT:
        problems.append(
            Problem(
                "SKYDD-5",
                "Till person med skyddade personuppgifter levereras till förskrivande enhet.",
                "delivery.destination",
            )
        )
    if not d.care_of.strip():
        problems.append(
            Problem(
                "SKYDD-5",
                "Ange c/o: namnet på den som ansvarar för leveransen på enheten.",
                "delivery.care_of",
            )
        )
    if problems or unit is None:
        raise DomainError(*(problems or [Problem("SKYDD-7", "Patientens uppgifter är spärrade.")]))
    d.street, d.postcode, d.city = unit.street, unit.postcode, unit.city
    d.multi_family, d.door_code, d.leave_outside = False, "", False
    d.contact_person, d.contact_phone = "", ""
    first = (
        Prescription.objects.select_related("prescriber")
        .filter(pk__in=[line.prescription_id for line in draft.lines], patient=draft.patient)
        .order_by("pk")
        .first()
    )
    if first is not None:
        d.phone = first.prescriber.phone
        d.email = first.prescriber.email


def next_in_series(name: str, *, sequence: str, first: int) -> int:
    """The next value of a numbering series; never handed out twice (a gap is fine).

    PostgreSQL: a sequence made by a migration. SQLite: a counter row bumped with a
    conditional update inside the caller's (IMMEDIATE, so serialised) transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [sequence])
            return int(cursor.fetchone()[0])
    if not NumberCounter.objects.filter(name=name).update(value=F("value") + 1):
        # the migration's row is missing (e.g. a test flush): start the series again
        NumberCounter.objects.get_or_create(name=name, defaults={"value": first - 1})
        NumberCounter.objects.filter(name=name).update(value=F("value") + 1)
    return NumberCounter.objects.get(name=name).value


def _next_number() -> str:
    """U + 8 digits, unique and never reused (a gap after a rollback is fine)."""
    value = next_in_series("withdrawal", sequence="lmn_withdrawal_number", first=FIRST_NUMBER + 1)
    return f"U{value:08d}"


def place_withdrawal(
    draft: WithdrawalDraft, *, actor: Actor, idempotency_key: str | None = None
) -> tuple[Withdrawal, bool]:
    """Place a withdrawal; returns (withdrawal, created).

    With an idempotency key, the same request again returns the first withdrawal
    (created False) and another request under the same key raises IdempotencyConflict.
    """
    if not actor.may_order:
        raise PermissionDenied("ACC-2", "Din roll får inte göra uttag.")
    fingerprint = draft.fingerprint()
    known = _shape_problems(draft, actor)
    if known:
        _check(draft, actor=actor, lock=False, known=known)  # raises, naming every problem
    try:
        with transaction.atomic():
            if idempotency_key:
                previous = _replay(actor, idempotency_key, fingerprint)
                if previous is not None:
                    return previous, False
            withdrawal = _place(draft, actor=actor)
            if idempotency_key:
                IdempotencyRecord.objects.create(
                    actor_key=_actor_key(actor),
                    key=idempotency_key,
                    fingerprint=fingerprint,
                    withdrawal=withdrawal,
                    created_at=clock.now(),
                )
            return withdrawal, True
    except IntegrityError:
        # a concurrent request with the same key won; answer as it did
        if idempotency_key:
            previous = _replay(actor, idempotency_key, fingerprint)
            if previous is not None:
                return previous, False
        raise


def _replay(actor: Actor, key: str, fingerprint: str) -> Withdrawal | None:
    found = (
        IdempotencyRecord.objects.select_related("withdrawal")
        .filter(actor_key=_actor_key(actor), key=key)
        .first()
    )
    if found is None:
        return None
    if found.fingerprint != fingerprint:
        raise IdempotencyConflict()
    return found.withdrawal


@dataclass
class _Checked:
    prescriptions: dict[int, Prescription]
    payers: dict[tuple[int, int], Payer]
    plan: DeliveryPlan
    received_at: dt.datetime


def _check(
    draft: WithdrawalDraft, *, actor: Actor, lock: bool, known: Sequence[Problem] = ()
) -> _Checked:
    """Every rule a withdrawal must pass, all problems reported together; writes nothing.

    `known` are problems already found in the input's shape: the rules are still
    checked on what can be checked, and every problem is raised in one DomainError.
    With `lock`, the prescriptions are locked (in pk order, so two orders never
    deadlock) so that two concurrent withdrawals cannot both pass GEN-3.
    """
    patient = draft.patient
    ids = sorted(line.prescription_id for line in draft.lines)
    rows = Prescription.objects.select_related("product__area", "unit").filter(
        pk__in=ids, patient=patient
    )
    if lock:
        rows = rows.select_for_update()
    prescriptions = {p.pk: p for p in rows.order_by("pk")}
    problems: list[Problem] = list(known)
    for i, line in enumerate(draft.lines):
        if line.prescription_id not in prescriptions:
            problems.append(
                Problem(
                    "prescription_not_found",
                    "Förskrivningen finns inte för den här patienten.",
                    f"lines[{i}].prescription_id",
                )
            )
    found = [(i, ln) for i, ln in enumerate(draft.lines) if ln.prescription_id in prescriptions]
    entitlements = entitlements_for(prescriptions.values())
    payers = {
        (up.unit_id, up.product_area_id): up.payer
        for up in UnitPayer.objects.select_related("payer").filter(
            unit_id__in={p.unit_id for p in prescriptions.values()}
        )
    }
    flagged = {p.field for p in problems if p.field}  # one message per field is enough
    for i, line in found:
        p = prescriptions[line.prescription_id]
        ent = entitlements[p.pk]
        if line.quantity > ent.withdrawable_now and f"lines[{i}].quantity" not in flagged:
            if ent.reason == "single_withdrawal_used":
                problems.append(
                    Problem(
                        "SKYDD-3",
                        "Förskrivningen till person med skyddade personuppgifter medger ett "
                        "uttag, och det är gjort. Gör ett nytt ärende för en ny förskrivning.",
                        f"lines[{i}].quantity",
                    )
                )
            else:
                problems.append(Problem("GEN-3", _refusal_text(ent, p), f"lines[{i}].quantity"))
        if (p.unit_id, p.product.area_id) not in payers:
            problems.append(
                Problem(
                    "UNIT-2",
                    f"Förskrivande enhet saknar betalare för {p.product.area.name}. "
                    "Kontakta LMN-administrationen.",
                    f"lines[{i}].prescription_id",
                )
            )
    chosen = [(i, prescriptions[line.prescription_id]) for i, line in found]
    problems.extend(area_problems(chosen, actor=actor))
    policy = region_policy()
    if draft.delivery.speed == Speed.EXPRESS and actor.role in policy.express_roles:
        problems.extend(express_problems([p for _i, p in chosen], actor=actor))
    now = clock.now()
    plan = None
    # the rules need a known destination and speed; a bad one is already a problem
    d = draft.delivery
    if d.destination in Destination.ALL and d.speed in Speed.ALL:
        try:
            plan = plan_delivery(
                d,
                products=[p.product for _i, p in chosen],
                actor_role=actor.role,
                registered_multi_family=patient.dwelling == Dwelling.MULTI_FAMILY,
                policy=policy,
                received_at=now,
                patient_is_child=is_child(patient, on=now.astimezone(clock.STOCKHOLM).date()),
            )
        except DomainError as refused:
            problems.extend(p for p in refused.problems if p.field not in flagged)
    if plan is not None and plan.reserve_stock and len(found) == len(draft.lines):
        # the preview sees what placing would refuse; placing still reserves under its guard
        problems.extend(_stock_problems(draft, prescriptions))
    if problems or plan is None:
        raise DomainError(*problems)
    return _Checked(prescriptions, payers, plan, now)


def preview_withdrawal(draft: WithdrawalDraft, *, actor: Actor) -> DeliveryPlan:
    """What placing would promise and cost, and what the orderer must know (no writes).

    Shown before the order is confirmed; raises DomainError like placing would.
    """
    if not actor.may_order:
        raise PermissionDenied("ACC-2", "Din roll får inte göra uttag.")
    known = _shape_problems(draft, actor)
    return _check(draft, actor=actor, lock=False, known=known).plan


def _place(
    draft: WithdrawalDraft, *, actor: Actor, joint_order: JointOrder | None = None
) -> Withdrawal:
    """Check under lock and write one withdrawal; `joint_order` groups it (SAM-1)."""
    patient = draft.patient
    checked = _check(draft, actor=actor, lock=True)
    prescriptions, payers, plan, now = (
        checked.prescriptions,
        checked.payers,
        checked.plan,
        checked.received_at,
    )
    d = draft.delivery
    if plan.reserve_stock:
        _reserve(draft, prescriptions)
    promise = plan.promise
    withdrawal = Withdrawal.objects.create(
        number=_next_number(),
        patient=patient,
        ordering_unit=actor.unit,
        ordered_by=actor.user,
        ordered_by_role=actor.role,
        placed_at=now,
        destination=d.destination,
        speed=d.speed,
        street=d.street,
        postcode=d.postcode,
        city=d.city,
        care_of=d.care_of,
        door_code=d.door_code,
        entry_phone=d.entry_phone,
        name_on_door=d.name_on_door,
        leave_outside=d.leave_outside,
        multi_family=bool(d.multi_family),
        inside_region=plan.inside_region,
        phone=d.phone,
        email=d.email,
        contact_person=d.contact_person,
        contact_phone=d.contact_phone,
        notify_by=plan.notify_by,
        pickup_point_id=d.pickup_point_id,
        notices=list(plan.notices),
        promised_delivery_date=joint_order.promised_delivery_date if joint_order else promise.date,
        promise_note=joint_order.promise_note if joint_order else promise.note,
        joint_order=joint_order,
    )
    WithdrawalLine.objects.bulk_create(
        WithdrawalLine(
            withdrawal=withdrawal,
            prescription=prescriptions[line.prescription_id],
            product=prescriptions[line.prescription_id].product,
            quantity=line.quantity,
            reserved_quantity=line.quantity if plan.reserve_stock else 0,
            payer=payers[
                (
                    prescriptions[line.prescription_id].unit_id,
                    prescriptions[line.prescription_id].product.area_id,
                )
            ],
        )
        for line in draft.lines
    )
    for fee in plan.fees:
        WithdrawalFee.objects.create(
            withdrawal=withdrawal,
            kind=fee.kind,
            label=fee.label,
            amount_sek=fee.amount,
            payer=_payer_for_area(fee.area_code, draft, prescriptions, payers),
            created_at=now,
        )
    WithdrawalEvent.objects.create(
        withdrawal=withdrawal, at=now, to_status=withdrawal.status, **event_actor(actor)
    )
    record(
        "withdrawals.withdrawal.placed",
        actor=actor,
        patient=patient,
        obj=withdrawal,
        data={
            "number": withdrawal.number,
            "lines": len(draft.lines),
            **({"joint_order": joint_order.number} if joint_order else {}),
        },
    )
    return withdrawal


def _reserve(draft: WithdrawalDraft, prescriptions: dict[int, Prescription]) -> None:
    """Take the ordered quantities from stock, or refuse naming the product (AKUT-3, EXPR-4).

    Runs inside the withdrawal's transaction: a refusal rolls back earlier lines.
    """
    for i, line in enumerate(draft.lines):
        product = prescriptions[line.prescription_id].product
        if not reserve_stock(product, line.quantity):
            product.refresh_from_db(fields=["stock_quantity", "expected_restock_date"])
            raise DomainError(_out_of_stock(draft, product, i))


def _stock_problems(
    draft: WithdrawalDraft, prescriptions: dict[int, Prescription]
) -> list[Problem]:
    """The lines that stock cannot cover now, as _reserve would find them (no reservation).

    Lines for the same product add up, since placing takes them one after another.
    """
    ids = {prescriptions[line.prescription_id].product_id for line in draft.lines}
    stock = {p.pk: p for p in Product.objects.filter(pk__in=ids)}
    wanted: dict[int, int] = {}
    problems = []
    for i, line in enumerate(draft.lines):
        product = stock[prescriptions[line.prescription_id].product_id]
        wanted[product.pk] = wanted.get(product.pk, 0) + line.quantity
        if wanted[product.pk] > product.stock_quantity:
            problems.append(_out_of_stock(draft, product, i))
    return problems


def _out_of_stock(draft: WithdrawalDraft, product: Product, i: int) -> Problem:
    rule = "AKUT-3" if draft.delivery.speed == Speed.EMERGENCY else "EXPR-4"
    when = (
        f" Produkten väntas åter i lager {product.expected_restock_date.isoformat()}."
        if product.expected_restock_date
        else ""
    )
    return Problem(
        rule,
        f"{product.name} finns inte i lager i den mängden just nu "
        f"(i lager: {product.stock_quantity}).{when} Välj standardleverans.",
        f"lines[{i}].quantity",
    )


def _payer_for_area(
    area_code: str,
    draft: WithdrawalDraft,
    prescriptions: dict[int, Prescription],
    payers: dict[tuple[int, int], Payer],
) -> Payer:
    """A fee lands on the payer of its product area; the first line's area otherwise."""
    chosen = [prescriptions[line.prescription_id] for line in draft.lines]
    match = next((p for p in chosen if p.product.area.code == area_code), chosen[0])
    return payers[(match.unit_id, match.product.area_id)]


def _refusal_text(ent: Entitlement, p: Prescription) -> str:
    unit = p.product.ordering_unit
    if ent.withdrawable_now > 0:
        most = quantity_text(ent.withdrawable_now, unit)
        return f"Högst {most} kan tas ut nu på den här förskrivningen."
    if ent.next_possible_date is not None:
        return (
            "Förskrivningen räcker inte till fler uttag just nu. Nästa uttag är möjligt "
            f"från {ent.next_possible_date.isoformat()}."
        )
    return (
        "Förskrivningen medger inga fler uttag (den har gått ut, avslutats eller tagits ut helt)."
    )


def transition(
    withdrawal: Withdrawal,
    to: str,
    *,
    actor: Actor,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> Withdrawal:
    """Move a withdrawal to another status, if TRANSITIONS allows it.

    `changes` are other fields set in the same update (e.g. the pickup code).
    """
    with transaction.atomic():
        locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if to not in WithdrawalStatus.values:
            raise DomainError.single("invalid_status", "Okänd status.", "status")
        if to not in TRANSITIONS[locked.status]:
            raise DomainError.single(
                "invalid_transition",
                f"Uttaget kan inte gå från {locked.get_status_display().lower()} "
                f"till {WithdrawalStatus(to).label.lower()}.",
                "status",
            )
        updated = Withdrawal.objects.filter(pk=locked.pk, status=locked.status).update(
            status=to, **(changes or {})
        )
        if updated != 1:
            raise DomainError.single(
                "concurrent_change", "Uttaget ändrades samtidigt. Försök igen."
            )
        WithdrawalEvent.objects.create(
            withdrawal=locked,
            at=clock.now(),
            from_status=locked.status,
            to_status=to,
            **event_actor(actor),
        )
        record(
            f"withdrawals.withdrawal.{to}",
            actor=actor,
            patient=locked.patient,
            obj=locked,
            data={"from": locked.status, **(data or {})},
        )
        if to == WithdrawalStatus.CANCELLED:
            for line in locked.lines.select_related("product").filter(reserved_quantity__gt=0):
                release_stock(line.product, line.reserved_quantity)
        locked.status = to
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        return locked
