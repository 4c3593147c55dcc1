"""Vouchers: chosen by the prescriber, sent as letters, redeemed by customer service."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.template.loader import render_to_string
from weasyprint import HTML

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.notifications.services import queue
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.states import PrescriptionStatus
from lmn.withdrawals.labels import barcode_data_url
from lmn.withdrawals.models import Withdrawal
from lmn.withdrawals.queries import entitlement_for
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal

from .delivery import saved_delivery_of
from .models import Voucher, VoucherPlan, VoucherStatus

# no 0/O or 1/I: the code is read from paper and typed over the phone
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def choose_vouchers(prescription: Prescription, *, actor: Actor) -> Voucher | None:
    """The prescriber's choice: the patient orders this prescription with paper vouchers.

    The first voucher goes out at once; later ones follow each use (redeem_voucher)."""
    if not actor.may_prescribe:
        raise PermissionDenied("ACC-2", "Bara förskrivare väljer talonger.")
    if actor.unit is None or prescription.unit_id != actor.unit.pk:
        raise NotFound()  # another unit's prescription answers like a missing one
    if prescription.patient.protected:  # their letters go through the unit (SKYDD)
        raise DomainError.single(
            "voucher_protected",
            "Patienter med skyddade personuppgifter får inte talonger; enheten beställer.",
        )
    with transaction.atomic():
        plan, created = VoucherPlan.objects.get_or_create(
            prescription=prescription,
            defaults={"chosen_by": actor.user, "chosen_at": clock.now()},
        )
        if not created:
            raise DomainError.single("voucher_chosen", "Talonger är redan valda.")
        record("voucher.chosen", actor=actor, patient=prescription.patient, obj=plan)
        return issue_voucher(prescription, actor=actor)


def issue_voucher(prescription: Prescription, *, actor: Actor) -> Voucher | None:
    """Send the next voucher while something remains to withdraw; None when nothing does."""
    if prescription.status != PrescriptionStatus.ACTIVE:
        return None
    ent = entitlement_for(prescription)
    if ent.withdrawable_now:
        usable_from = clock.today()
    elif ent.next_possible_date and ent.next_possible_date <= prescription.valid_until:
        usable_from = ent.next_possible_date
    else:
        return None
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    with transaction.atomic():
        voucher = Voucher(
            code=code,
            prescription=prescription,
            patient=prescription.patient,
            usable_from=usable_from,
            issued_at=clock.now(),
        )
        voucher.letter_pdf = HTML(string=letter_html(voucher)).write_pdf()
        voucher.save()
        p = prescription.patient
        queue(
            channel="letter",
            recipient=f"{p.name}, {p.street}, {p.postcode} {p.city}",
            subject="Talong för beställning",
            body=(
                f"Din talong för {prescription.product.name}. Kod {display_code(code)}. "
                f"Den kan användas från {usable_from:%Y-%m-%d}: ring kundtjänst och uppge koden."
            ),
            patient=p,
            obj=voucher,
        )
        record(
            "voucher.issued",
            actor=actor,
            patient=p,
            obj=voucher,
            data={"usable_from": usable_from.isoformat()},
        )
    return voucher


def letter_html(voucher: Voucher) -> str:
    return render_to_string(
        "vouchers/letter.html",
        {
            "voucher": voucher,
            "patient": voucher.patient,
            "product": voucher.prescription.product,
            "unit": voucher.prescription.unit,
            "code": display_code(voucher.code),
            "barcode": barcode_data_url(voucher.code),
        },
    )


def voucher_for_code(raw: str, *, actor: Actor) -> Voucher:
    """What customer service sees before ordering: the voucher and why it can or cannot
    be used now. Audited: it shows the patient."""
    _require_customer_service(actor)
    voucher = (
        Voucher.objects.select_related("patient", "prescription__product", "withdrawal")
        .filter(code=normalise_code(raw))
        .first()
    )
    if voucher is None:
        raise DomainError.single(
            "voucher_unknown", "Det finns ingen talong med den koden. Kontrollera koden.", "code"
        )
    record("voucher.read", actor=actor, patient=voucher.patient, obj=voucher)
    return voucher


def voucher_problem(voucher: Voucher, *, today: dt.date) -> str:
    """Why the voucher cannot be used today, in plain words; "" when it can."""
    if voucher.status == VoucherStatus.USED:
        number = voucher.withdrawal.number if voucher.withdrawal else ""
        return f"Talongen är redan använd (uttag {number})."
    if voucher.status == VoucherStatus.VOID:
        return "Talongen gäller inte längre."
    if today < voucher.usable_from:
        return f"Talongen kan användas från {voucher.usable_from:%Y-%m-%d}."
    return ""


def redeem_voucher(raw: str, *, actor: Actor) -> Withdrawal:
    """Place the order the voucher stands for, once; then send the next voucher."""
    _require_customer_service(actor)
    with transaction.atomic():
        voucher = (
            Voucher.objects.select_for_update()
            .select_related("patient", "prescription")
            .filter(code=normalise_code(raw))
            .first()
        )
        if voucher is None:
            raise DomainError.single(
                "voucher_unknown", "Det finns ingen talong med den koden.", "code"
            )
        problem = voucher_problem(voucher, today=clock.today())
        if problem:
            raise DomainError.single("voucher_not_usable", problem, "code")
        rx = voucher.prescription
        quantity = entitlement_for(rx).withdrawable_now
        if not quantity:
            raise DomainError.single(
                "voucher_not_usable", "Inget kan tas ut på förskrivningen just nu.", "code"
            )
        withdrawal, _ = place_withdrawal(
            WithdrawalDraft(
                patient=voucher.patient,
                lines=[LineDraft(rx.pk, quantity)],
                delivery=saved_delivery_of(voucher.patient),
            ),
            actor=actor,
        )
        voucher.status, voucher.used_at, voucher.withdrawal = (
            VoucherStatus.USED,
            clock.now(),
            withdrawal,
        )
        voucher.save(update_fields=["status", "used_at", "withdrawal"])
        record(
            "voucher.used",
            actor=actor,
            patient=voucher.patient,
            obj=voucher,
            data={"withdrawal": withdrawal.number},
        )
        issue_voucher(rx, actor=actor)
    return withdrawal


def _require_customer_service(actor: Actor) -> None:
    if actor.role != Role.CUSTOMER_SERVICE:
        raise PermissionDenied("forbidden", "Bara kundtjänst tar emot talonger.")
