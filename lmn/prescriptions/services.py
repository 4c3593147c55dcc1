"""Registering prescriptions (GEN-2, GEN-6, ACC-2, ACC-3, CH-2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from lmn.audit.services import record
from lmn.catalog.models import Product, ProductArea
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, PermissionDenied, Problem
from lmn.patients.models import Patient, Region

from .models import ConsumptionPeriod, Prescription
from .policy import policy_for

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


def create_prescription(draft: PrescriptionDraft, *, actor: Actor) -> Prescription:
    if not actor.may_prescribe or actor.unit is None:
        raise PermissionDenied("ACC-2", "Din roll får inte förskriva.")
    area = draft.product.area.code
    if not actor.may_prescribe_in(area):
        raise DomainError.single(
            "ACC-3",
            f"Du saknar behörighet att förskriva inom {draft.product.area.name}.",
            "article_number",
        )
    policy = policy_for(area)
    problems: list[Problem] = []
    if not draft.product.active:
        problems.append(
            Problem(
                "product_inactive", "Produkten finns inte längre i sortimentet.", "article_number"
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
        else:
            problems.append(
                Problem(
                    "CH-1",
                    "Patienten är inte folkbokförd i regionen. Inkontinens- och "
                    "nutritionsprodukter förskrivs då via blankett till kundtjänst.",
                    "patient_id",
                )
            )
    if not 1 <= draft.consumption_amount <= MAX_CONSUMPTION:
        problems.append(
            Problem(
                "invalid_consumption",
                f"Förbrukningen ska vara ett heltal mellan 1 och {MAX_CONSUMPTION}.",
                "consumption.amount",
            )
        )
    if draft.consumption_period not in ConsumptionPeriod.values:
        problems.append(
            Problem(
                "invalid_consumption_period",
                "Ange förbrukning per dag, vecka eller månad.",
                "consumption.per",
            )
        )
    today = clock.today()
    valid_from = draft.valid_from or today
    if valid_from < today:
        problems.append(
            Problem(
                "date_in_past", "Giltig från kan inte vara ett datum som passerat.", "valid_from"
            )
        )
    longest_until = clock.add_months(valid_from, policy.validity_months)
    valid_until = draft.valid_until or longest_until
    if not valid_from < valid_until <= longest_until:
        problems.append(
            Problem(
                "invalid_validity",
                f"Giltig till ska vara efter giltig från och högst {policy.validity_months} "
                f"månader framåt ({longest_until.isoformat()}).",
                "valid_until",
            )
        )
    max_supply = draft.max_supply_days or policy.max_supply_days
    if not 1 <= max_supply <= policy.max_supply_days:
        problems.append(
            Problem(
                "invalid_max_supply",
                f"Längsta uttagsperiod är 1–{policy.max_supply_days} dagar.",
                "max_supply_days",
            )
        )
    instructions = draft.instructions.strip()
    if len(instructions) > 500:
        problems.append(Problem("too_long", "Högst 500 tecken är tillåtna.", "instructions"))
    if problems:
        raise DomainError(*problems)

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
        )
        record(
            "prescriptions.prescription.created",
            actor=actor,
            patient=draft.patient,
            obj=prescription,
            data={"article_number": draft.product.article_number},
        )
    return prescription
