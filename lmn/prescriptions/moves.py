"""Moving a prescription to another unit (RX-4).

The sending unit's prescriber asks; the prescription moves only when a prescriber of the
receiving unit with the product's area accepts. From then on it is that unit's: later
withdrawals are paid by its payer for the area, which placing reads from the
prescription's unit (UNIT-2), so nothing already placed changes payer.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lmn.audit.services import Shown, record, record_many
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied, Problem
from lmn.organisations.models import PrescribingUnit, UnitPayer
from lmn.patients.queries import visible_patient_q

from .lifecycle import lock_current, require_prescriber, save_version
from .models import Prescription, PrescriptionMove
from .states import MoveStatus, VersionKind


def move_problems(prescription: Prescription, to_unit: PrescribingUnit) -> list[Problem]:
    """Can the receiving unit take it: another active unit, a payer and a prescriber for
    the product's area, and never a protected identity out of its unit (SKYDD-1)."""
    area = prescription.product.area
    if to_unit.pk == prescription.unit_id or not to_unit.active:
        return [Problem("invalid_unit", _("Välj en annan, aktiv enhet."), "to_unit")]
    problems: list[Problem] = []
    if not UnitPayer.objects.filter(unit=to_unit, product_area=area).exists():
        problems.append(
            Problem(
                "unit_lacks_payer",
                _("Enheten saknar betalare för %(area)s och kan inte ta emot förskrivningen.")
                % {"area": area.name},
                "to_unit",
            )
        )
    if not _has_prescriber(to_unit, area.code):
        problems.append(
            Problem(
                "unit_lacks_prescriber",
                _("Enheten har ingen förskrivare inom %(area)s som kan ta emot förskrivningen.")
                % {"area": area.name},
                "to_unit",
            )
        )
    if prescription.patient.protected:
        problems.append(
            Problem(
                "protected_identity",
                _(
                    "En förskrivning till en person med skyddade personuppgifter flyttas "
                    "via kundtjänst."
                ),
                "to_unit",
            )
        )
    return problems


def _has_prescriber(unit: PrescribingUnit, area_code: str) -> bool:
    # through the unit's reverse relation: accounts sits above this app (ARCHITECTURE.md)
    members = unit.memberships.filter(active=True)
    return bool(
        members.filter(role=Role.DOCTOR).exists()
        or members.filter(role=Role.PRESCRIBER, areas__code=area_code).exists()
    )


def receiving_unit(customer_number: str) -> PrescribingUnit:
    """The unit a prescription is to move to, named by its customer number."""
    unit = PrescribingUnit.objects.filter(customer_number=customer_number).first()
    if unit is None:
        raise DomainError.single(
            "unit_not_found", _("Det finns ingen enhet med det kundnumret."), "to_unit"
        )
    return unit


def request_move(
    prescription: Prescription,
    *,
    to_unit: PrescribingUnit,
    message: str = "",
    based_on_version: int | None,
    actor: Actor,
) -> PrescriptionMove:
    """Ask the receiving unit to take the prescription over; nothing moves yet."""
    require_prescriber(prescription, actor)
    with transaction.atomic():
        current = lock_current(prescription, based_on_version)
        problems = move_problems(current, to_unit)
        if current.moves.filter(status=MoveStatus.PENDING).exists():
            problems.append(
                Problem(
                    "move_pending",
                    _("Förskrivningen väntar redan på att tas emot av en annan enhet."),
                    "to_unit",
                )
            )
        if len(message.strip()) > 500:
            problems.append(Problem("too_long", _("Högst 500 tecken är tillåtna."), "message"))
        if problems:
            raise DomainError(*problems)
        move = PrescriptionMove.objects.create(
            prescription=current,
            from_unit=current.unit,
            to_unit=to_unit,
            requested_by=actor.user,
            requested_at=clock.now(),
            message=message.strip(),
        )
        record(
            "prescriptions.move.requested",
            actor=actor,
            patient=current.patient,
            obj=current,
            data={"to_unit": to_unit.customer_number},
        )
    return move


def _require_receiver(move: PrescriptionMove, actor: Actor) -> None:
    if not actor.may_prescribe or actor.unit is None:
        raise PermissionDenied("ACC-2", _("Din roll får inte förskriva."))
    if move.to_unit_id != actor.unit.pk:
        raise DomainError.single(
            "not_receiving_unit",
            _("Bara en förskrivare på den mottagande enheten kan ta emot förskrivningen."),
        )
    if not actor.may_prescribe_in(move.prescription.product.area.code):
        raise DomainError.single(
            "ACC-3",
            _("Du saknar behörighet att förskriva inom %(area)s.")
            % {"area": move.prescription.product.area.name},
        )


def _lock_pending(move: PrescriptionMove) -> PrescriptionMove:
    locked = PrescriptionMove.objects.select_for_update().get(pk=move.pk)
    if locked.status != MoveStatus.PENDING:
        raise DomainError.single(
            "move_decided", _("Flytten är redan besvarad eller återkallad."), "status"
        )
    return locked


def accept_move(move: PrescriptionMove, *, actor: Actor) -> Prescription:
    """RX-4: the receiving unit takes it over; its payer pays later withdrawals."""
    _require_receiver(move, actor)
    with transaction.atomic():
        current = lock_current(move.prescription, None)
        locked = _lock_pending(move)
        problems = (
            move_problems(current, locked.to_unit)
            if current.unit_id == locked.from_unit_id
            else [Problem("invalid_unit", _("Förskrivningen har redan flyttats."), "to_unit")]
        )
        if problems:
            raise DomainError(*problems)
        moved = save_version(
            current, VersionKind.MOVED, actor=actor, unit=locked.to_unit, prescriber=actor.user
        )
        _decide(locked, MoveStatus.ACCEPTED, actor)
        record(
            "prescriptions.move.accepted",
            actor=actor,
            patient=moved.patient,
            obj=moved,
            data={
                "from_unit": locked.from_unit.customer_number,
                "to_unit": locked.to_unit.customer_number,
                "version": moved.version,
            },
        )
    return moved


def decline_move(move: PrescriptionMove, *, actor: Actor) -> PrescriptionMove:
    """The receiving unit says no; the prescription stays where it is."""
    _require_receiver(move, actor)
    return _close(move, MoveStatus.DECLINED, actor)


def withdraw_move(move: PrescriptionMove, *, actor: Actor) -> PrescriptionMove:
    """The sending unit takes its request back before it is answered."""
    require_prescriber(move.prescription, actor)
    return _close(move, MoveStatus.WITHDRAWN, actor)


def _close(move: PrescriptionMove, status: str, actor: Actor) -> PrescriptionMove:
    with transaction.atomic():
        locked = _lock_pending(move)
        _decide(locked, status, actor)
        record(
            f"prescriptions.move.{status}",
            actor=actor,
            patient=locked.prescription.patient,
            obj=locked.prescription,
            data={"to_unit": locked.to_unit.customer_number},
        )
    return locked


def _decide(move: PrescriptionMove, status: str, actor: Actor) -> None:
    move.status = status
    move.decided_by = actor.user
    move.decided_at = clock.now()
    move.save(update_fields=["status", "decided_by", "decided_at"])


def moves_to_accept(actor: Actor) -> QuerySet[PrescriptionMove]:
    """The receiving unit's inbox: pending moves to the actor's unit, oldest first."""
    if actor.unit is None or not actor.may_prescribe:
        return PrescriptionMove.objects.none()
    return (
        PrescriptionMove.objects.filter(status=MoveStatus.PENDING, to_unit=actor.unit)
        .filter(visible_patient_q(actor, "prescription__patient__"))
        .select_related("prescription__product__area", "prescription__patient", "from_unit")
        .order_by("requested_at", "pk")
    )


def move_visible_to(actor: Actor, move_id: int) -> PrescriptionMove:
    """One move the actor's unit sends or receives; a miss and an out-of-scope one alike."""
    if actor.unit is None:
        raise NotFound()
    found = (
        PrescriptionMove.objects.filter(pk=move_id)
        .filter(visible_patient_q(actor, "prescription__patient__"))
        .select_related("prescription__product__area", "prescription__patient", "to_unit")
        .first()
    )
    if found is None or actor.unit.pk not in (found.from_unit_id, found.to_unit_id):
        raise NotFound()
    return found


def incoming_moves(actor: Actor, *, channel: str = "") -> list[PrescriptionMove]:
    """The inbox, its read audited once per prescription shown."""
    moves = list(moves_to_accept(actor))
    record_many(
        "prescriptions.move.read",
        [Shown(patient=m.prescription.patient, obj=m.prescription) for m in moves],
        actor=actor,
        channel=channel,
    )
    return moves
