"""Raw withdrawals for the figures' tests: rows written directly, with the dates,
speeds, states and fees each test states, so every figure can be computed by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lmn.core import clock
from lmn.organisations.models import UnitPayer
from lmn.testing import factories as f
from lmn.withdrawals.models import Withdrawal, WithdrawalEvent, WithdrawalFee, WithdrawalLine

_numbers = itertools.count(1)
_prescriptions: dict[tuple[int, int, int], Any] = {}


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A moment in Swedish time, e.g. at("2026-03-05")."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=clock.STOCKHOLM)


def payer_of(unit: Any, product: Any) -> Any:
    return UnitPayer.objects.get(unit=unit, product_area=product.area).payer


@dataclass
class Raw:
    unit: Any
    patient: Any
    placed: dt.datetime
    lines: list[tuple[Any, int]]  # (product, quantity)
    speed: str = "standard"
    destination: str = "door"
    status: str = "delivered"
    fees: list[tuple[str, str]] = field(default_factory=list)  # (kind, amount)
    promised: dt.date | None = None
    arrived: dt.datetime | None = None  # the event of delivery or arrival
    payer: Any = None  # the payer of every line and fee; else the unit's for the area


def prescription(patient: Any, product: Any, prescriber: Any, unit: Any) -> Any:
    """One prescription per patient, product and unit, made on first use."""
    key = (patient.pk, product.pk, unit.pk)
    found = _prescriptions.get(key)
    if found is None or not type(found).objects.filter(pk=found.pk).exists():
        found = f.make_prescription(
            patient=patient, product=product, prescriber=prescriber, unit=unit
        )
        _prescriptions[key] = found
    return found


def build(raw: Raw, prescriber: Any) -> Withdrawal:
    w = Withdrawal.objects.create(
        number=f"U9{next(_numbers):07d}",
        patient=raw.patient,
        ordering_unit=raw.unit,
        ordered_by_role="forskrivare",
        status=raw.status,
        placed_at=raw.placed,
        destination=raw.destination,
        speed=raw.speed,
        street="Storgatan 1",
        postcode="41301",
        city="Göteborg",
        promised_delivery_date=raw.promised,
    )
    first_payer: Any = None
    for product, quantity in raw.lines:
        rx = prescription(raw.patient, product, prescriber, raw.unit)
        payer = raw.payer or payer_of(raw.unit, product)
        first_payer = first_payer or payer
        WithdrawalLine.objects.create(
            withdrawal=w, prescription=rx, product=product, quantity=quantity, payer=payer
        )
    for kind, amount in raw.fees:
        fee = WithdrawalFee.objects.create(
            withdrawal=w, kind=kind, amount_sek=Decimal(amount), payer=first_payer
        )
        if raw.status == "cancelled":  # a cancelled withdrawal's fee is reversed
            WithdrawalFee.objects.create(
                withdrawal=w,
                kind=kind,
                amount_sek=-Decimal(amount),
                payer=first_payer,
                reverses=fee,
            )
    if raw.arrived is not None:
        to = "arrived" if raw.destination == "pickup_point" else "delivered"
        WithdrawalEvent.objects.create(
            withdrawal=w, at=raw.arrived, to_status=to, actor_hsa_id="depot"
        )
    return w
