"""Customer-service follow-ups found by scheduled checks, and the contacts logged (OOA-3)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, PermissionDenied, Problem
from lmn.delivery.policy import region_policy
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.protected import cancel_held, deliver_held_to_unit
from lmn.withdrawals.states import WithdrawalStatus

from .models import ContactLog, FollowUp

_ON_THE_WAY = (WithdrawalStatus.PLACED, WithdrawalStatus.PICKED, WithdrawalStatus.SHIPPED)


def open_follow_up(kind: str, withdrawal: Withdrawal, actor: Actor) -> FollowUp | None:
    """A follow-up, once per withdrawal and kind (the unique constraint makes reruns safe)."""
    try:
        with transaction.atomic():
            follow_up = FollowUp.objects.create(
                kind=kind, withdrawal=withdrawal, created_at=clock.now()
            )
            record(
                "cases.followup.opened",
                actor=actor,
                patient=withdrawal.patient,
                obj=follow_up,
                data={"kind": kind, "withdrawal": withdrawal.number},
            )
            return follow_up
    except IntegrityError:
        return None


def flag_out_of_assortment_deliveries(*, today: dt.date | None = None) -> list[FollowUp]:
    """OOA-3: withdrawals of products outside the assortment whose expected delivery is
    more than `ooa_contact_days` (10) days after ordering, so customer service contacts
    prescriber and patient; and OOA parcels left uncollected, which cannot go back (OOA-5).
    Idempotent; run daily by the scheduler."""
    today = today or clock.today()
    actor = Actor.system("ooa-follow-up")
    limit = dt.timedelta(days=region_policy().ooa_contact_days)
    opened: list[FollowUp] = []
    ooa = (
        Withdrawal.objects.filter(lines__product__procured=False)
        .select_related("patient")
        .distinct()
        .order_by("pk")
    )
    long = ooa.filter(status__in=_ON_THE_WAY, promised_delivery_date__isnull=False).exclude(
        pk__in=FollowUp.objects.filter(kind=FollowUp.Kind.OOA_LONG_DELIVERY).values("withdrawal_id")
    )
    for w in long:
        assert w.promised_delivery_date is not None
        ordered_on = w.placed_at.astimezone(clock.STOCKHOLM).date()
        if w.promised_delivery_date - ordered_on > limit:
            if (follow_up := open_follow_up(FollowUp.Kind.OOA_LONG_DELIVERY, w, actor)) is not None:
                opened.append(follow_up)
    uncollected = ooa.filter(status=WithdrawalStatus.ARRIVED, collect_by__lt=today)
    for w in uncollected:
        if (follow_up := open_follow_up(FollowUp.Kind.OOA_NOT_COLLECTED, w, actor)) is not None:
            opened.append(follow_up)
    return opened


# whom customer service must have contacted before a follow-up closes: both, unless said
# here. A protected patient is reached only through the unit (SKYDD-1), and after a death
# the prescriber is the one to tell.
_PARTIES_TO_CONTACT: dict[str, set[str]] = {
    FollowUp.Kind.PROTECTED_HOLD: {ContactLog.Party.PRESCRIBER},
    FollowUp.Kind.DECEASED: {ContactLog.Party.PRESCRIBER},
}


def open_follow_ups(*, actor: Actor) -> list[FollowUp]:
    _require_customer_service(actor)
    return list(
        FollowUp.objects.filter(closed_at__isnull=True)
        .select_related("withdrawal")
        .order_by("created_at", "pk")
    )


def _require_customer_service(actor: Actor) -> None:
    if actor.role != Role.CUSTOMER_SERVICE:
        raise PermissionDenied("customer_service_only", "Bara kundtjänst hanterar uppföljningar.")


def log_contact(
    follow_up: FollowUp, *, party: str, channel: str, note: str = "", actor: Actor
) -> ContactLog:
    """Customer service logs a contact with the prescriber or the patient (OOA-3). When
    both have been contacted the follow-up closes."""
    _require_customer_service(actor)
    problems: list[Problem] = []
    if party not in ContactLog.Party.values:
        problems.append(Problem("invalid_party", "Ange vem som kontaktades.", "party"))
    if channel not in ContactLog.Channel.values:
        problems.append(Problem("invalid_channel", "Ange hur kontakten togs.", "channel"))
    if problems:
        raise DomainError(*problems)
    with transaction.atomic():
        contact = ContactLog.objects.create(
            follow_up=follow_up,
            party=party,
            channel=channel,
            note=note.strip(),
            at=clock.now(),
            actor_hsa_id=actor.hsa_id,
        )
        record(
            "cases.followup.contacted",
            actor=actor,
            patient=follow_up.withdrawal.patient,
            obj=follow_up,
            data={"party": party, "channel": channel},
        )
        parties = set(follow_up.contacts.values_list("party", flat=True))
        if parties >= _PARTIES_TO_CONTACT.get(follow_up.kind, set(ContactLog.Party.values)):
            if FollowUp.objects.filter(pk=follow_up.pk, closed_at__isnull=True).update(
                closed_at=clock.now()
            ):
                record("cases.followup.closed", actor=actor, obj=follow_up)
    return contact


HELD_DECISIONS = {"unit": "Leverera till enheten", "cancel": "Makulera uttaget"}


def decide_held_delivery(
    follow_up: FollowUp, *, decision: str, care_of: str = "", actor: Actor
) -> FollowUp:
    """Record the unit's decision on a withdrawal held because the register newly protects
    its patient (SKYDD-7): deliver it to the prescribing unit, c/o the person responsible
    (SKYDD-5), or cancel it. The follow-up closes with the decision."""
    _require_customer_service(actor)
    if follow_up.kind != FollowUp.Kind.PROTECTED_HOLD or follow_up.closed_at is not None:
        raise DomainError.single(
            "no_decision_pending", "Uppföljningen väntar inte på något beslut.", "decision"
        )
    if decision not in HELD_DECISIONS:
        raise DomainError.single("invalid_decision", "Välj enhetens beslut.", "decision")
    with transaction.atomic():
        if decision == "unit":
            deliver_held_to_unit(follow_up.withdrawal, care_of=care_of, actor=actor)
        else:
            cancel_held(follow_up.withdrawal, actor=actor)
        if FollowUp.objects.filter(pk=follow_up.pk, closed_at__isnull=True).update(
            closed_at=clock.now()
        ):
            record(
                "cases.followup.closed",
                actor=actor,
                obj=follow_up,
                data={"decision": decision},
            )
    follow_up.refresh_from_db()
    return follow_up
