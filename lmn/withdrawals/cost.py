"""What an order will cost and who pays, shown before it is confirmed (INV-1, UNIT-2).

The products at the price valid today and the plan's fees, each on the payer that will
be invoiced: the payer of the prescribing unit for the product's area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lmn.catalog.models import ProductPrice, VatRate
from lmn.delivery.rules import DeliveryPlan
from lmn.organisations.models import UnitPayer
from lmn.prescriptions.models import Prescription

from .services.drafts import WithdrawalDraft

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CostLine:
    name: str
    quantity: int
    unit_price: Decimal | None  # None: the product has no price today
    amount: Decimal | None
    payer: str


@dataclass
class PayerCost:
    payer: str
    net: Decimal = Decimal("0.00")
    vat: Decimal = Decimal("0.00")

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


@dataclass
class OrderCost:
    lines: list[CostLine] = field(default_factory=list)
    payers: list[PayerCost] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return sum((p.net for p in self.payers), Decimal("0.00"))


def order_cost(draft: WithdrawalDraft, plan: DeliveryPlan, *, day: dt.date) -> OrderCost:
    """Products and fees per payer, excluding and including VAT (an estimate: the invoice
    sums VAT per rate for the whole month). Three queries however many lines, and one
    more when there are fees."""
    chosen = {
        row["pk"]: row
        for row in Prescription.objects.filter(
            pk__in=[line.prescription_id for line in draft.lines]
        ).values("pk", "unit_id", "product_id", "product__name", "product__area_id",
                 "product__area__code")
    }  # fmt: skip
    links = dict(
        ((unit, area), name)
        for unit, area, name in UnitPayer.objects.filter(
            unit_id__in={p["unit_id"] for p in chosen.values()}
        ).values_list("unit_id", "product_area_id", "payer__name")
    )
    prices = _prices({p["product_id"] for p in chosen.values()}, day)
    cost = OrderCost()
    per_payer: dict[str, PayerCost] = {}
    for line in draft.lines:
        p = chosen.get(line.prescription_id)
        if p is None:
            continue
        payer = links.get((p["unit_id"], p["product__area_id"]), "")
        price = prices.get(p["product_id"])
        amount = (price[0] * line.quantity).quantize(CENT) if price else None
        cost.lines.append(
            CostLine(p["product__name"], line.quantity, price[0] if price else None, amount, payer)
        )
        if price and amount is not None:
            total = per_payer.setdefault(payer, PayerCost(payer))
            total.net += amount
            total.vat += _vat(amount, price[1])
    if plan.fees:
        _add_fees(plan, list(chosen.values()), links, per_payer)
    cost.payers = list(per_payer.values())
    return cost


def _prices(product_ids: set[int], day: dt.date) -> dict[int, tuple[Decimal, Decimal]]:
    """product id -> (unit price, VAT percent) valid on `day`, in one query."""
    found: dict[int, tuple[Decimal, Decimal]] = {}
    rows = (
        ProductPrice.objects.filter(product_id__in=product_ids, valid_from__lte=day)
        .order_by("product_id", "valid_from")
        .values_list("product_id", "unit_price", "vat_rate__percent")
    )
    for product_id, unit_price, percent in rows:
        found[product_id] = (unit_price, percent)  # the latest from that day or before wins
    return found


def _add_fees(
    plan: DeliveryPlan,
    chosen: Sequence[Mapping[str, Any]],
    links: dict[tuple[int, int], str],
    per_payer: dict[str, PayerCost],
) -> None:
    """A fee on the payer of its area's first line, else the first line's (as placing does)."""
    rate = VatRate.objects.filter(code=VatRate.FEES).values_list("percent", flat=True).first()
    for fee in plan.fees:
        match = next((p for p in chosen if p["product__area__code"] == fee.area_code), None)
        match = match or (chosen[0] if chosen else None)
        payer = links.get((match["unit_id"], match["product__area_id"]), "") if match else ""
        total = per_payer.setdefault(payer, PayerCost(payer))
        total.net += fee.amount
        total.vat += _vat(fee.amount, rate or Decimal(0))


def _vat(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
