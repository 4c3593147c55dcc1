"""The shipment lifecycle, driven by the distributor (PICK-2, PICK-4..PICK-9, AKUT-4, OUT-8).

placed → picked → shipped → delivered (door, unit)
                          → arrived (pickup point) → collected | returned
                          → returned (e.g. wrong door code)
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_noop

from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, PermissionDenied, Problem
from lmn.delivery.details import Destination, NotifyBy, Speed
from lmn.delivery.models import PickupPoint
from lmn.delivery.policy import region_policy
from lmn.delivery.rules import FEE_LABELS
from lmn.notifications.services import queue

from .models import Collection, Withdrawal, WithdrawalFee
from .services import is_child, transition
from .states import WithdrawalStatus

# Swedish as stored (a return fee's label names the reason); marked so that the
# portal can show them translated (gettext on the stored text)
RETURN_REASONS = {
    "wrong_door_code": gettext_noop("Fel portkod"),
    "incomplete_address": gettext_noop("Ofullständig adress"),
    "recipient_not_home": gettext_noop("Mottagaren var inte hemma (porttelefon)"),
    "refused": gettext_noop("Mottagaren tog inte emot försändelsen"),
    "not_collected": gettext_noop("Inte uthämtat inom 14 dagar"),
    "damaged": gettext_noop("Skadat gods"),
    "other": gettext_noop("Annan orsak"),
}
SHIPPING_ROLES = frozenset({Role.DISTRIBUTOR, Role.SYSTEM})
# what the depot still has to move along: its work queue (portal and API) shows these
OPEN_SHIPMENT_STATUSES = (
    WithdrawalStatus.PLACED,
    WithdrawalStatus.PICKED,
    WithdrawalStatus.SHIPPED,
    WithdrawalStatus.ARRIVED,
)
# the steps the distributor reports (report_shipment_event); a collection is registered apart
SHIPMENT_EVENTS = ("picked", "shipped", "delivered", "arrived", "returned")


def _require_distributor(actor: Actor) -> None:
    if actor.role not in SHIPPING_ROLES:
        raise PermissionDenied("distributor_only", "Bara distributören rapporterar leveranser.")


def mark_picked(withdrawal: Withdrawal, *, actor: Actor) -> Withdrawal:
    _require_distributor(actor)
    return transition(withdrawal, WithdrawalStatus.PICKED, actor=actor)


def mark_shipped(withdrawal: Withdrawal, *, actor: Actor) -> Withdrawal:
    """On its way: the orderer who chose a notice channel hears so, in that channel.

    Emergencies are left out: they arrive the same day, and AKUT-4 keeps an emergency
    home delivery without notices."""
    _require_distributor(actor)
    with transaction.atomic():
        updated = transition(withdrawal, WithdrawalStatus.SHIPPED, actor=actor)
        if updated.notify_by and updated.speed != Speed.EMERGENCY:
            channel, recipient = notice_route(updated)
            queue(
                channel=channel,
                recipient=recipient,
                subject=f"Din försändelse {updated.number} har skickats",
                body=(
                    f"Försändelse {updated.number} från LMN har skickats. Utlovad leverans "
                    f"{updated.promised_delivery_date or 'enligt beställningen'}."
                ),
                patient=updated.patient,
                obj=updated,
            )
    return updated


def mark_delivered(withdrawal: Withdrawal, *, actor: Actor) -> Withdrawal:
    """Delivered to the door or the unit. Nobody is notified (AKUT-4 for emergencies)."""
    _require_distributor(actor)
    if withdrawal.destination == Destination.PICKUP_POINT:
        raise DomainError.single(
            "use_arrived",
            "Försändelser till utlämningsställe rapporteras som ankomna, sedan uthämtade.",
            "event",
        )
    return transition(withdrawal, WithdrawalStatus.DELIVERED, actor=actor)


def mark_arrived(withdrawal: Withdrawal, *, actor: Actor) -> Withdrawal:
    """At the pickup point: a four-digit code (PICK-9), the last day (PICK-4), notification.

    Notified by the channel chosen at ordering (PICK-2); an emergency by SMS (AKUT-5).
    """
    _require_distributor(actor)
    if withdrawal.destination != Destination.PICKUP_POINT:
        raise DomainError.single(
            "not_pickup_point", "Försändelsen ska inte till ett utlämningsställe.", "event"
        )
    now = clock.now()
    policy = region_policy()
    code = f"{secrets.randbelow(10_000):04d}"
    collect_by = now.astimezone(clock.STOCKHOLM).date() + dt.timedelta(days=policy.pickup_days)
    with transaction.atomic():
        updated = transition(
            withdrawal,
            WithdrawalStatus.ARRIVED,
            actor=actor,
            changes={"pickup_code": code, "arrived_at": now, "collect_by": collect_by},
        )
        _notify_arrival(updated)
    return updated


def _notify_arrival(w: Withdrawal) -> None:
    point = PickupPoint.objects.filter(code=w.pickup_point_id).first()
    where = f"{point.name}, {point.street}, {point.city}" if point else "utlämningsstället"
    body = (
        f"Försändelse {w.number} från LMN finns att hämta på {where}. "
        f"Kod: {w.pickup_code}. Hämtas senast {w.collect_by}. Ta med legitimation."
    )
    if is_child(w.patient, on=clock.today()):  # PICK-8: who may collect a child's parcel
        body += (
            " Barnet får hämta själv med giltig legitimation. Annars hämtar en "
            "vårdnadshavare med egen legitimation och utdrag ur folkbokföringen (personbevis)."
        )
        if w.contact_person:
            body += f" Kontaktpersonen {w.contact_person} får hämta med egen legitimation."
    channel, recipient = notice_route(w)
    queue(
        channel=channel,
        recipient=recipient,
        subject=f"Din försändelse {w.number} har kommit",
        body=body,
        patient=w.patient,
        obj=w,
    )


def notice_route(w: Withdrawal) -> tuple[str, str]:
    """The channel and address the orderer chose for this withdrawal's notices."""
    channel = w.notify_by or NotifyBy.SMS
    if channel == NotifyBy.SMS:
        return channel, w.phone
    if channel == NotifyBy.EMAIL:
        return channel, w.email
    p = w.patient  # a letter goes to the registered address
    return channel, f"{w.contact_person or p.name}, {p.street}, {p.postcode} {p.city}"


def mark_returned(withdrawal: Withdrawal, *, reason: str, actor: Actor) -> Withdrawal:
    """Back at the distributor, at a return cost for the paying unit (OUT-8, PICK-4)."""
    _require_distributor(actor)
    if reason not in RETURN_REASONS:
        raise DomainError.single("invalid_return_reason", "Ange en giltig returorsak.", "reason")
    if has_out_of_assortment(withdrawal):
        raise DomainError.single(
            "OOA-5",
            "Produkter utanför upphandlat sortiment kan inte returneras. Kontakta kundtjänst, "
            "som tar kontakt med förskrivaren.",
            "reason",
        )
    policy = region_policy()
    with transaction.atomic():
        updated = transition(
            withdrawal,
            WithdrawalStatus.RETURNED,
            actor=actor,
            changes={"return_reason": reason},
            data={"reason": reason},
        )
        first_line = updated.lines.select_related("payer").order_by("pk").first()
        # a parcel of a patient who has died is collected back free of charge
        if first_line is not None and updated.patient.deceased_on is None:
            WithdrawalFee.objects.create(
                withdrawal=updated,
                kind="return",
                label=f"{FEE_LABELS['return']}: {RETURN_REASONS[reason].lower()}",
                amount_sek=policy.fee_return,
                payer=first_line.payer,
                created_at=clock.now(),
            )
    return updated


def report_shipment_event(
    withdrawal: Withdrawal, event: str, *, reason: str = "", actor: Actor
) -> Withdrawal:
    """One step of SHIPMENT_EVENTS; a return needs a reason (RETURN_REASONS)."""
    if event == "returned":
        return mark_returned(withdrawal, reason=reason, actor=actor)
    steps = {
        "picked": mark_picked,
        "shipped": mark_shipped,
        "delivered": mark_delivered,  # door or unit; nobody is notified (AKUT-4)
        "arrived": mark_arrived,  # pickup point: code and notification (PICK-2, PICK-9, AKUT-5)
    }
    if event not in steps:
        raise DomainError.single("invalid_event", "Välj en händelse.", "event")
    return steps[event](withdrawal, actor=actor)


def has_out_of_assortment(withdrawal: Withdrawal) -> bool:
    return withdrawal.lines.filter(product__procured=False).exists()


@dataclass
class CollectionDraft:
    code: str
    collector: str  # Collection.Collector
    recipient_id_shown: bool
    collector_id_shown: bool
    id_document: str
    collector_name: str = ""
    register_extract_shown: bool = False  # a guardian's personbevis (PICK-8)


def register_collection(
    withdrawal: Withdrawal, draft: CollectionDraft, *, actor: Actor
) -> Withdrawal:
    """Record a collection at the pickup point, if the identification rules hold."""
    _require_distributor(actor)
    problems: list[Problem] = []
    if withdrawal.status != WithdrawalStatus.ARRIVED:
        raise DomainError.single(
            "not_at_pickup_point", "Försändelsen finns inte på utlämningsstället.", "status"
        )
    if not secrets.compare_digest(draft.code.strip(), withdrawal.pickup_code):
        problems.append(Problem("PICK-9", "Koden stämmer inte med aviseringens kod.", "code"))
    if not draft.id_document.strip():
        problems.append(Problem("PICK-5", "Ange vilken legitimation som visades.", "id_document"))
    problems += _collector_problems(withdrawal, draft)
    kind = draft.collector
    if problems:
        raise DomainError(*problems)
    with transaction.atomic():
        updated = transition(
            withdrawal, WithdrawalStatus.COLLECTED, actor=actor, data={"collector": kind}
        )
        Collection.objects.create(
            withdrawal=updated,
            collected_at=clock.now(),
            collector=kind,
            collector_name=draft.collector_name.strip()[:100],
            recipient_id_shown=draft.recipient_id_shown,
            collector_id_shown=draft.collector_id_shown,
            register_extract_shown=draft.register_extract_shown,
            id_document=draft.id_document.strip()[:30],
            actor_hsa_id=actor.hsa_id,
        )
    return updated


def _collector_problems(withdrawal: Withdrawal, draft: CollectionDraft) -> list[Problem]:
    """Who collects, and what they must show: the recipient (PICK-5), the contact person
    named at ordering (PICK-7), a guardian (PICK-8) or someone else with both IDs (PICK-6)."""
    problems: list[Problem] = []
    kind = draft.collector
    if kind == Collection.Collector.RECIPIENT:
        if not draft.recipient_id_shown:  # PICK-5 (a child with valid ID too, PICK-8)
            problems.append(
                Problem("PICK-5", "Mottagaren måste visa legitimation.", "recipient_id_shown")
            )
    elif kind == Collection.Collector.CONTACT_PERSON:
        given = withdrawal.contact_person.strip().casefold()
        if not given:
            problems.append(
                Problem("PICK-7", "Ingen kontaktperson angavs vid beställningen.", "collector")
            )
        elif draft.collector_name.strip().casefold() != given:
            problems.append(
                Problem(
                    "PICK-7",
                    "Namnet stämmer inte med kontaktpersonen som angavs vid beställningen.",
                    "collector_name",
                )
            )
        if not draft.collector_id_shown:
            problems.append(
                Problem("PICK-7", "Kontaktpersonen måste visa legitimation.", "collector_id_shown")
            )
    elif kind == Collection.Collector.GUARDIAN:
        problems.extend(_guardian_problems(withdrawal, draft))
    elif kind == Collection.Collector.OTHER:
        if not (draft.recipient_id_shown and draft.collector_id_shown):
            problems.append(
                Problem(
                    "PICK-6",
                    "Både mottagarens och den hämtandes legitimation måste visas.",
                    "collector_id_shown",
                )
            )
        if not draft.collector_name.strip():
            problems.append(Problem("PICK-6", "Ange den hämtandes namn.", "collector_name"))
    else:
        problems.append(Problem("invalid_collector", "Ange vem som hämtar.", "collector"))
    return problems


def _guardian_problems(withdrawal: Withdrawal, draft: CollectionDraft) -> list[Problem]:
    """PICK-8: a child without valid ID is collected for by a guardian, who shows their
    own ID and a population-register extract (personbevis) showing custody."""
    problems = []
    if not is_child(withdrawal.patient, on=clock.today()):
        problems.append(
            Problem(
                "PICK-8",
                "Mottagaren är inte under 18 år: välj mottagaren själv, kontaktpersonen "
                "eller annan person.",
                "collector",
            )
        )
    if not draft.collector_id_shown:
        problems.append(
            Problem("PICK-8", "Vårdnadshavaren måste visa legitimation.", "collector_id_shown")
        )
    if not draft.register_extract_shown:
        problems.append(
            Problem(
                "PICK-8",
                "Vårdnadshavaren måste visa ett utdrag ur folkbokföringen (personbevis) "
                "som visar vårdnaden.",
                "register_extract_shown",
            )
        )
    if not draft.collector_name.strip():
        problems.append(Problem("PICK-8", "Ange vårdnadshavarens namn.", "collector_name"))
    return problems


def return_uncollected(*, today: dt.date | None = None) -> list[str]:
    """Return parcels not collected in time (PICK-4); run daily by the scheduler."""
    today = today or clock.today()
    actor = Actor.system("pickup-deadline")
    returned = []
    overdue = Withdrawal.objects.filter(
        status=WithdrawalStatus.ARRIVED, collect_by__lt=today
    ).exclude(lines__product__procured=False)  # OOA-5: customer service follows these up
    for w in overdue.order_by("pk"):
        mark_returned(w, reason="not_collected", actor=actor)
        returned.append(w.number)
    return returned
