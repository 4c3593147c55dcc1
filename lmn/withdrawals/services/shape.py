"""The input's shape (lines, address, protected delivery), checked before any rule."""

from __future__ import annotations

from lmn.core.actor import Actor
from lmn.core.errors import DomainError, Problem
from lmn.delivery.details import Destination, validate_delivery
from lmn.delivery.models import PickupPoint
from lmn.patients.models import Dwelling
from lmn.prescriptions.models import Prescription

from .drafts import MAX_LINES, MAX_QUANTITY, WithdrawalDraft


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
