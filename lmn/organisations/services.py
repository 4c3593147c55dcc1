"""Unit applications and customer numbers (ACC-4, UNIT-1..UNIT-3).

The head of a unit applies for a new or changed prescribing unit with a payer and
invoice address for every product area; LMN administration approves or rejects.
A new unit gets its customer number on approval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from stdnum.se import postnummer

from lmn.audit.services import record, refuse
from lmn.catalog.models import ProductArea
from lmn.core import clock
from lmn.core.actor import Actor, Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied, Problem
from lmn.core.series import next_in_series
from lmn.core.states import ApplicationStatus, decide

from .applications import reject, withdraw
from .models import (
    CustomerNumberCounter,
    Payer,
    PrescribingUnit,
    UnitApplication,
    UnitApplicationPayer,
    UnitPayer,
)

# the first number handed out here; the region's existing numbers lie below it
FIRST_CUSTOMER_NUMBER = 650_001
LAST_CUSTOMER_NUMBER = 999_999
CUSTOMER_NUMBER_SEQUENCE = "lmn_customer_number"


@dataclass
class PayerDraft:
    """Who pays for one product area, and where the invoice goes (UNIT-2)."""

    area_code: str
    name: str
    invoice_street: str
    invoice_postcode: str
    invoice_city: str
    invoice_reference: str = ""


@dataclass
class UnitApplicationDraft:
    """A new unit (unit None) or a change of `unit`, with every area's payer (UNIT-3)."""

    name: str
    kind: str
    street: str
    postcode: str
    city: str
    payers: list[PayerDraft] = field(default_factory=list)
    phone: str = ""
    hsa_id: str = ""
    delivery_place: str = ""
    unit: PrescribingUnit | None = None


def _postcode_problem(value: str, field_name: str) -> tuple[str, Problem | None]:
    compact = re.sub(r"\s", "", value)
    if postnummer.is_valid(compact):
        return postnummer.compact(compact), None
    return value, Problem(
        "invalid_postcode", "Ange ett svenskt postnummer med fem siffror, t.ex. 413 01.", field_name
    )


def _validate(draft: UnitApplicationDraft) -> list[Problem]:
    problems: list[Problem] = []
    draft.name = " ".join(draft.name.split())
    for name, limit in (("name", 200), ("street", 200), ("city", 100)):
        value = " ".join(getattr(draft, name).split())
        setattr(draft, name, value)
        if not value:
            problems.append(Problem("required", "Uppgiften måste fyllas i.", name))
        elif len(value) > limit:
            problems.append(Problem("too_long", f"Högst {limit} tecken är tillåtna.", name))
    if len(draft.delivery_place) > 200 or len(draft.phone) > 30 or len(draft.hsa_id) > 40:
        problems.append(Problem("too_long", "En uppgift är för lång.", "delivery_place"))
    if draft.kind not in PrescribingUnit.Kind.values:
        problems.append(Problem("invalid_kind", "Välj en giltig typ av enhet.", "kind"))
    draft.postcode, problem = _postcode_problem(draft.postcode, "postcode")
    if problem:
        problems.append(problem)
    known = set(ProductArea.objects.values_list("code", flat=True))
    seen: set[str] = set()
    for i, payer in enumerate(draft.payers):
        where = f"payers[{i}]"
        if payer.area_code not in known:
            problems.append(Problem("unknown_area", "Okänt produktområde.", f"{where}.area_code"))
        elif payer.area_code in seen:
            problems.append(
                Problem("duplicate_area", "Produktområdet finns två gånger.", f"{where}.area_code")
            )
        seen.add(payer.area_code)
        for name in ("name", "invoice_street", "invoice_city"):
            value = " ".join(getattr(payer, name).split())
            setattr(payer, name, value)
            if not value or len(value) > 200:
                problems.append(
                    Problem(
                        "required", "Ange betalarens namn och fakturaadress.", f"{where}.{name}"
                    )
                )
        payer.invoice_postcode, problem = _postcode_problem(
            payer.invoice_postcode, f"{where}.invoice_postcode"
        )
        if problem:
            problems.append(problem)
    missing = sorted(known - seen)
    if missing:
        names = ", ".join(
            ProductArea.objects.filter(code__in=missing).values_list("name", flat=True)
        )
        problems.append(
            Problem(
                "UNIT-2",
                f"Ange betalare och fakturaadress för varje produktområde; saknas: {names}.",
                "payers",
            )
        )
    return problems


def submit_unit_application(draft: UnitApplicationDraft, *, actor: Actor) -> UnitApplication:
    """A head of unit applies for a new unit, or a change of the unit they head (ACC-4)."""
    action = "organisations.unit_application.submitted"
    if actor.role != Role.HEAD_OF_UNIT or actor.unit is None:
        refuse(
            action,
            PermissionDenied("ACC-4", "Bara verksamhetschefen kan ansöka om förskrivande enheter."),
            actor=actor,
        )
    if draft.unit is not None and draft.unit.pk != actor.unit.pk:
        # a unit the head does not head (or a forged one) answers like a missing one
        refuse(
            action,
            NotFound(),
            actor=actor,
            data={"unit": getattr(draft.unit, "customer_number", "")},
        )
    problems = _validate(draft)
    if problems:
        refuse(action, DomainError(*problems), actor=actor)
    with transaction.atomic():
        application = UnitApplication.objects.create(
            kind=UnitApplication.Kind.CHANGE if draft.unit else UnitApplication.Kind.NEW,
            applicant=actor.user,
            applicant_unit=actor.unit,
            care_provider=actor.unit.care_provider,
            unit=draft.unit,
            name=draft.name,
            unit_kind=draft.kind,
            hsa_id=draft.hsa_id,
            street=draft.street,
            postcode=draft.postcode,
            city=draft.city,
            phone=draft.phone,
            delivery_place=draft.delivery_place,
            submitted_at=clock.now(),
        )
        areas = {a.code: a for a in ProductArea.objects.all()}
        UnitApplicationPayer.objects.bulk_create(
            UnitApplicationPayer(
                application=application,
                product_area=areas[p.area_code],
                name=p.name,
                invoice_reference=p.invoice_reference,
                invoice_street=p.invoice_street,
                invoice_postcode=p.invoice_postcode,
                invoice_city=p.invoice_city,
            )
            for p in draft.payers
        )
        record(
            action,
            actor=actor,
            obj=application,
            data={"kind": application.kind, "unit": actor.unit_number},
        )
    return application


def _require_admin(action: str, actor: Actor, application: UnitApplication) -> None:
    if actor.role != Role.ADMIN:
        refuse(
            action,
            PermissionDenied("ACC-4", "Bara LMN-administrationen beslutar om enheter."),
            actor=actor,
            obj=application,
        )


def approve_unit_application(
    application: UnitApplication, *, actor: Actor, note: str = ""
) -> PrescribingUnit:
    """Grant the application: make or change the unit and its payers at once."""
    action = "organisations.unit_application.approved"
    _require_admin(action, actor, application)
    try:
        with transaction.atomic():
            locked = decide(application, ApplicationStatus.APPROVED, actor=actor, note=note)
            unit = _apply(locked)
            record(
                action,
                actor=actor,
                obj=locked,
                data={"kind": locked.kind, "customer_number": unit.customer_number},
            )
    except DomainError as refused:
        refuse(action, refused, actor=actor, obj=application)
    application.refresh_from_db()
    return unit


def _apply(application: UnitApplication) -> PrescribingUnit:
    values = {
        "name": application.name,
        "kind": application.unit_kind,
        "hsa_id": application.hsa_id,
        "street": application.street,
        "postcode": application.postcode,
        "city": application.city,
        "phone": application.phone,
        "delivery_place": application.delivery_place,
    }
    if application.kind == UnitApplication.Kind.NEW:
        unit = PrescribingUnit.objects.create(
            customer_number=allocate_customer_number(),
            care_provider=application.care_provider,
            region=application.care_provider.region,
            **values,
        )
        application.unit = unit
        application.save(update_fields=["unit"])
    else:
        assert application.unit is not None
        unit = PrescribingUnit.objects.select_for_update().get(pk=application.unit.pk)
        for name, value in values.items():
            setattr(unit, name, value)
        unit.save(update_fields=list(values))
    for p in application.payers.select_related("product_area"):
        # the same payer details in several areas (or units) are one payer; a duplicate
        # made by two concurrent approvals is harmless, so no lock is taken for it
        details = {
            "name": p.name,
            "invoice_reference": p.invoice_reference,
            "invoice_street": p.invoice_street,
            "invoice_postcode": p.invoice_postcode,
            "invoice_city": p.invoice_city,
            "region": unit.region,
        }
        payer = Payer.objects.filter(**details).order_by("pk").first()
        if payer is None:
            payer = Payer.objects.create(**details)
        UnitPayer.objects.update_or_create(
            unit=unit, product_area=p.product_area, defaults={"payer": payer}
        )
    return unit


def reject_unit_application(
    application: UnitApplication, *, actor: Actor, reason: str
) -> UnitApplication:
    action = "organisations.unit_application.rejected"
    _require_admin(action, actor, application)
    rejected: UnitApplication = reject(application, action=action, actor=actor, reason=reason)
    return rejected


def withdraw_unit_application(application: UnitApplication, *, actor: Actor) -> UnitApplication:
    """The applicant takes back an application that is not yet decided."""
    action = "organisations.unit_application.withdrawn"
    withdrawn: UnitApplication = withdraw(application, action=action, actor=actor)
    return withdrawn


def _next_in_series() -> int:
    return next_in_series(
        CustomerNumberCounter,
        "customer_number",
        sequence=CUSTOMER_NUMBER_SEQUENCE,
        first=FIRST_CUSTOMER_NUMBER,
    )


def allocate_customer_number() -> str:
    """Six digits, unique and never reused (UNIT-1).

    The series only counts up, and numbers that some unit already carries (active or
    deactivated, e.g. entered by hand before this series) are skipped.
    """
    while True:
        value = _next_in_series()
        if value > LAST_CUSTOMER_NUMBER:
            raise DomainError.single(
                "customer_numbers_exhausted",
                "Det finns inga fler lediga kundnummer. Kontakta systemförvaltningen.",
            )
        number = f"{value:06d}"
        if not PrescribingUnit.objects.filter(customer_number=number).exists():
            return number
