"""After a prescription is created: change, renew, end and replace (RX-1, RX-2, RX-3).

Each action makes a new version (PrescriptionVersion) and names the version it was based
on: the row is locked and updated only if that is still the current version, so of two
prescribers changing the same prescription at once one wins and the other is told and
shown the new version (optimistic concurrency, code `stale_version`).

Stopping the open withdrawals when ending is the withdrawals app's part
(lmn/withdrawals/ending.py), which calls `end_prescription` in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, PermissionDenied, Problem

from .models import PERIOD_DAYS, Prescription
from .policy import policy_for
from .services import PrescriptionDraft, consumption_problems, create_prescription
from .states import EndReason, PrescriptionStatus, VersionKind
from .versions import snapshot

# RX-2: renewable from this many days before it expires (and any time after)
RENEW_WITHIN_DAYS = 30
STALE = "stale_version"


@dataclass(frozen=True)
class PrescriptionChange:
    """New terms for a prescription; `based_on_version` is the version the form showed."""

    based_on_version: int
    consumption_amount: int
    consumption_period: str
    valid_until: dt.date
    max_supply_days: int
    instructions: str = ""


def require_prescriber(prescription: Prescription, actor: Actor) -> None:
    """A prescriber of the prescription's unit with the product's area (ACC-2, ACC-3)."""
    if not actor.may_prescribe or actor.unit is None:
        raise PermissionDenied("ACC-2", _("Din roll får inte förskriva."))
    if prescription.unit_id != actor.unit.pk:
        # about this record, not the role: 422 like the withdrawals' own refusal
        raise DomainError.single(
            "not_prescribing_unit",
            _("Bara en förskrivare på den förskrivande enheten kan ändra förskrivningen."),
        )
    if not actor.may_prescribe_in(prescription.product.area.code):
        raise DomainError.single(
            "ACC-3",
            _("Du saknar behörighet att förskriva inom %(area)s.")
            % {"area": prescription.product.area.name},
        )


def lock_current(prescription: Prescription, based_on_version: int | None) -> Prescription:
    """The row, locked; refused if ended or if another change came first."""
    locked = (
        Prescription.objects.select_for_update()
        .select_related("product__area", "unit", "patient")
        .get(pk=prescription.pk)
    )
    if locked.status != PrescriptionStatus.ACTIVE:
        raise DomainError.single(
            "prescription_ended",
            _("Förskrivningen är avslutad och kan inte ändras. Gör en ny förskrivning."),
            "status",
        )
    if based_on_version is not None and locked.version != based_on_version:
        raise stale(locked)
    return locked


def stale(current: Prescription) -> DomainError:
    return DomainError.single(
        STALE,
        _(
            "Någon annan har just ändrat förskrivningen (nu version %(version)d). "
            "Se den nya versionen och gör om din ändring om den fortfarande behövs."
        )
        % {"version": current.version},
        "version",
    )


def save_version(
    prescription: Prescription, kind: str, *, actor: Actor, note: str = "", **fields: Any
) -> Prescription:
    """Write the new terms as version n+1, only if version n is still current (a writer
    that read the same version loses here even where SELECT ... FOR UPDATE is a no-op)."""
    number = prescription.version + 1
    updated = Prescription.objects.filter(pk=prescription.pk, version=prescription.version).update(
        version=number, **fields
    )
    if not updated:
        raise stale(Prescription.objects.get(pk=prescription.pk))
    prescription.refresh_from_db()
    snapshot(prescription, kind, actor=actor, note=note)
    return prescription


def change_problems(prescription: Prescription, change: PrescriptionChange) -> list[Problem]:
    """Every problem with the new terms at once; writes nothing."""
    policy = policy_for(prescription.product.area.code)
    problems = consumption_problems(change.consumption_amount, change.consumption_period)
    longest = clock.add_months(prescription.valid_from, policy.validity_months)
    if not clock.today() < change.valid_until <= longest:
        problems.append(
            Problem(
                "invalid_validity",
                _("Giltig till ska vara efter i dag och högst %(until)s.")
                % {"until": longest.isoformat()},
                "valid_until",
            )
        )
    if not 1 <= change.max_supply_days <= policy.max_supply_days:
        problems.append(
            Problem(
                "invalid_max_supply",
                _("Längsta uttagsperiod är 1–%(days)d dagar.") % {"days": policy.max_supply_days},
                "max_supply_days",
            )
        )
    if len(change.instructions.strip()) > 500:
        problems.append(Problem("too_long", _("Högst 500 tecken är tillåtna."), "instructions"))
    return problems


def rates_after(
    prescription: Prescription, amount: int, period: str, on: dt.date
) -> dict[str, Any]:
    """The fields that record a new consumption from `on`, keeping the earlier ones (RX-1)."""
    if (amount, period) == (prescription.consumption_amount, prescription.consumption_period):
        return {}
    since = prescription.consumption_from.isoformat() if prescription.consumption_from else ""
    earlier = [
        *prescription.earlier_rates,
        [since, prescription.consumption_amount, prescription.consumption_period],
    ]
    assert period in PERIOD_DAYS
    return {
        "consumption_amount": amount,
        "consumption_period": period,
        "consumption_from": on,
        "earlier_rates": earlier,
    }


def change_prescription(
    prescription: Prescription, change: PrescriptionChange, *, actor: Actor
) -> Prescription:
    """RX-1: new terms as a new version; withdrawals so far keep counting."""
    require_prescriber(prescription, actor)
    with transaction.atomic():
        current = lock_current(prescription, change.based_on_version)
        if current.valid_until < clock.today():
            raise DomainError.single(
                "prescription_expired",
                _("Förskrivningen har gått ut. Förnya den i stället."),
                "valid_until",
            )
        problems = change_problems(current, change)
        if problems:
            raise DomainError(*problems)
        fields = {
            **rates_after(
                current, change.consumption_amount, change.consumption_period, clock.today()
            ),
            "valid_until": change.valid_until,
            "max_supply_days": change.max_supply_days,
            "instructions": change.instructions.strip(),
        }
        changed = save_version(current, VersionKind.CHANGED, actor=actor, **fields)
        record(
            "prescriptions.prescription.changed",
            actor=actor,
            patient=changed.patient,
            obj=changed,
            data={"version": changed.version},
        )
    return changed


def renewable(prescription: Prescription, today: dt.date | None = None) -> bool:
    today = today or clock.today()
    return prescription.status == PrescriptionStatus.ACTIVE and prescription.valid_until <= (
        today + dt.timedelta(days=RENEW_WITHIN_DAYS)
    )


def renew_prescription(
    prescription: Prescription,
    *,
    based_on_version: int | None,
    valid_until: dt.date | None = None,
    actor: Actor,
) -> Prescription:
    """RX-2: a new validity from today in one action; the withdrawals so far still count."""
    require_prescriber(prescription, actor)
    with transaction.atomic():
        current = lock_current(prescription, based_on_version)
        today = clock.today()
        months = policy_for(current.product.area.code).validity_months
        until = valid_until or clock.add_months(today, months)
        raise_if_any(_renew_problems(current, today, until, months))
        renewed = save_version(
            current,
            VersionKind.RENEWED,
            actor=actor,
            valid_from=today,
            valid_until=until,
            expiry_notice_at=None,  # the new validity gets its own notice
        )
        record(
            "prescriptions.prescription.renewed",
            actor=actor,
            patient=renewed.patient,
            obj=renewed,
            data={"version": renewed.version, "valid_until": until.isoformat()},
        )
    return renewed


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise DomainError(*problems)


def _renew_problems(
    current: Prescription, today: dt.date, until: dt.date, months: int
) -> list[Problem]:
    problems: list[Problem] = []
    if not renewable(current, today):
        problems.append(
            Problem(
                "not_due_for_renewal",
                _("Förskrivningen kan förnyas tidigast %(days)d dagar innan den går ut.")
                % {"days": RENEW_WITHIN_DAYS},
                "valid_until",
            )
        )
    longest = clock.add_months(today, months)
    if not today < until <= longest:
        problems.append(
            Problem(
                "invalid_validity",
                _("Giltig till ska vara efter i dag och högst %(until)s.")
                % {"until": longest.isoformat()},
                "valid_until",
            )
        )
    if not current.product.active:
        problems.append(
            Problem(
                "product_inactive",
                _("Produkten finns inte längre i sortimentet. Förskriv en annan produkt."),
                "article_number",
            )
        )
    if current.patient.deceased_on is not None:
        problems.append(
            Problem(
                "patient_deceased", _("Patienten har avlidit enligt folkbokföringen."), "patient"
            )
        )
    return problems


def end_prescription(
    prescription: Prescription, *, reason: str, based_on_version: int | None, actor: Actor
) -> Prescription:
    """RX-3: ended with a reason; it stays in the history. Open withdrawals are the
    caller's choice (lmn.withdrawals.ending), inside the same transaction."""
    require_prescriber(prescription, actor)
    if reason not in EndReason.values:
        raise DomainError.single("invalid_end_reason", _("Välj varför den avslutas."), "reason")
    with transaction.atomic():
        current = lock_current(prescription, based_on_version)
        ended = save_version(
            current,
            VersionKind.ENDED,
            actor=actor,
            note=reason,
            status=PrescriptionStatus.ENDED,
            ended_at=clock.now(),
            end_reason=reason,
        )
        # a move waiting for the receiving unit has nothing left to move
        ended.moves.filter(status="pending").update(status="withdrawn", decided_at=clock.now())
        record(
            "prescriptions.prescription.ended",
            actor=actor,
            patient=ended.patient,
            obj=ended,
            data={"reason": reason, "version": ended.version},
        )
    return ended


def replace_product(
    prescription: Prescription,
    draft: PrescriptionDraft,
    *,
    based_on_version: int | None,
    actor: Actor,
) -> Prescription:
    """End this prescription and start one for another product, linked, in one step."""
    if draft.patient.pk != prescription.patient_id:
        raise DomainError.single(
            "other_patient", _("Den nya förskrivningen ska gälla samma patient."), "patient"
        )
    with transaction.atomic():
        end_prescription(
            prescription, reason=EndReason.REPLACED, based_on_version=based_on_version, actor=actor
        )
        return create_prescription(draft, actor=actor, replaces=prescription)
