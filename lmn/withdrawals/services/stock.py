"""Stock for express and emergency deliveries: reserving it, and seeing what it cannot cover."""

from __future__ import annotations

from lmn.catalog.models import Product
from lmn.catalog.services import reserve_stock
from lmn.core.errors import DomainError, Problem
from lmn.delivery.details import Speed
from lmn.prescriptions.models import Prescription

from .drafts import WithdrawalDraft


def _reserve(draft: WithdrawalDraft, prescriptions: dict[int, Prescription]) -> None:
    """Take the ordered quantities from stock, or refuse naming the product (AKUT-3, EXPR-4).

    Runs inside the withdrawal's transaction: a refusal rolls back earlier lines.
    """
    for i, line in enumerate(draft.lines):
        product = prescriptions[line.prescription_id].product
        if not reserve_stock(product, line.quantity):
            product.refresh_from_db(fields=["stock_quantity", "expected_restock_date"])
            raise DomainError(_out_of_stock(draft, product, i))


def _stock_problems(
    draft: WithdrawalDraft, prescriptions: dict[int, Prescription]
) -> list[Problem]:
    """The lines that stock cannot cover now, as _reserve would find them (no reservation).

    Lines for the same product add up, since placing takes them one after another.
    """
    ids = {prescriptions[line.prescription_id].product_id for line in draft.lines}
    stock = {p.pk: p for p in Product.objects.filter(pk__in=ids)}
    wanted: dict[int, int] = {}
    problems = []
    for i, line in enumerate(draft.lines):
        product = stock[prescriptions[line.prescription_id].product_id]
        wanted[product.pk] = wanted.get(product.pk, 0) + line.quantity
        if wanted[product.pk] > product.stock_quantity:
            problems.append(_out_of_stock(draft, product, i))
    return problems


def _out_of_stock(draft: WithdrawalDraft, product: Product, i: int) -> Problem:
    rule = "AKUT-3" if draft.delivery.speed == Speed.EMERGENCY else "EXPR-4"
    when = (
        f" Produkten väntas åter i lager {product.expected_restock_date.isoformat()}."
        if product.expected_restock_date
        else ""
    )
    return Problem(
        rule,
        f"{product.name} finns inte i lager i den mängden just nu "
        f"(i lager: {product.stock_quantity}).{when} Välj standardleverans.",
        f"lines[{i}].quantity",
    )
