"""Stock at the distributor: reserved atomically when an urgent withdrawal is placed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor

from . import pricelist
from .models import NewsVisit, PriceImport, Product, ProductPrice, VatRate


def reserve_stock(product: Product, quantity: int) -> bool:
    """Take `quantity` from stock if that much is there; False if not (AKUT-3, EXPR-4).

    A conditional UPDATE, so two orders for the last item cannot both succeed, on
    SQLite and PostgreSQL alike.
    """
    taken = Product.objects.filter(pk=product.pk, stock_quantity__gte=quantity).update(
        stock_quantity=F("stock_quantity") - quantity
    )
    return taken == 1


def release_stock(product: Product, quantity: int) -> None:
    """Put back what a cancelled or returned withdrawal had reserved."""
    Product.objects.filter(pk=product.pk).update(stock_quantity=F("stock_quantity") + quantity)


def mark_news_read(*, actor: Actor) -> None:
    """The user has read the assortment news now: what was added before is no longer new."""
    if actor.user is None:
        return
    with transaction.atomic():
        NewsVisit.objects.update_or_create(user=actor.user, defaults={"visited_at": clock.now()})
        record("catalog.news.read", actor=actor)


PROGRESS_EVERY = 200  # rows between progress updates the import page shows


def start_price_import(file_name: str, content: bytes, *, actor: Actor) -> PriceImport:
    """Keep the uploaded list; `process_price_import` checks and imports it (INV-1)."""
    with transaction.atomic():
        made = PriceImport.objects.create(
            file_name=file_name[:200], content=content, created_by=actor.user
        )
        record("catalog.prices.uploaded", actor=actor, obj=made, data={"file": made.file_name})
    return made


def process_price_import(import_id: int, *, actor: Actor) -> PriceImport:
    """Check every row (progress saved as it goes), then add all prices or none."""
    job = PriceImport.objects.get(pk=import_id)
    if job.status in (PriceImport.Status.DONE, PriceImport.Status.REJECTED):
        return job  # already processed: running it again changes nothing
    try:
        raw = pricelist.read(job.file_name, bytes(job.content))
    except pricelist.UnreadableFile as error:
        return _finish(job, [{"row": 0, "article": "", "code": "file_unreadable",
                              "message": str(error)}], [], actor=actor)  # fmt: skip
    PriceImport.objects.filter(pk=job.pk).update(
        status=PriceImport.Status.RUNNING, total_rows=len(raw)
    )
    job.total_rows = len(raw)
    rejected, accepted = _check_rows(job, raw)
    return _finish(job, rejected, accepted, actor=actor)


def _check_rows(
    job: PriceImport, raw: list[pricelist.RawRow]
) -> tuple[list[dict[str, object]], list[pricelist.PriceRow]]:
    vat_codes = set(VatRate.objects.values_list("code", flat=True))
    products = dict(
        Product.objects.filter(article_number__in={r.article for r in raw}).values_list(
            "article_number", "pk"
        )
    )
    existing = set(
        ProductPrice.objects.filter(product_id__in=products.values()).values_list(
            "product__article_number", "valid_from"
        )
    )
    seen: dict[tuple[str, dt.date], int] = {}
    rejected: list[dict[str, object]] = []
    accepted: list[pricelist.PriceRow] = []
    for i, row in enumerate(raw, start=1):
        price, problem = pricelist.check(row, vat_codes)
        if price is not None:
            problem = _against_data(price, products, existing, seen)
        if problem:
            rejected.append(
                {"row": row.number, "article": row.article, "code": problem[0],
                 "message": problem[1]}
            )  # fmt: skip
        elif price is not None:
            accepted.append(price)
        if i % PROGRESS_EVERY == 0:
            PriceImport.objects.filter(pk=job.pk).update(checked_rows=i)
    return rejected, accepted


def _against_data(
    price: pricelist.PriceRow,
    products: dict[str, int],
    existing: set[tuple[str, dt.date]],
    seen: dict[tuple[str, dt.date], int],
) -> tuple[str, str] | None:
    if price.article not in products:
        return ("article_unknown", _("Artikeln finns inte i sortimentet."))
    key = (price.article, price.valid_from)
    if key in seen:
        return (
            "row_duplicated",
            _("Samma artikel och datum som rad %(row)s.") % {"row": seen[key]},
        )
    seen[key] = price.number
    if key in existing:
        return ("price_exists", _("Artikeln har redan ett pris från det datumet."))
    return None


def _finish(
    job: PriceImport,
    rejected: list[dict[str, object]],
    accepted: list[pricelist.PriceRow],
    *,
    actor: Actor,
) -> PriceImport:
    with transaction.atomic():
        imported = 0
        if not rejected and accepted:
            rates = {r.code: r for r in VatRate.objects.all()}
            ids = dict(
                Product.objects.filter(
                    article_number__in={p.article for p in accepted}
                ).values_list("article_number", "pk")
            )
            ProductPrice.objects.bulk_create(
                ProductPrice(
                    product_id=ids[p.article],
                    valid_from=p.valid_from,
                    unit_price=p.price,
                    vat_rate=rates[p.vat],
                )
                for p in accepted
            )
            imported = len(accepted)
        status = PriceImport.Status.REJECTED if rejected else PriceImport.Status.DONE
        PriceImport.objects.filter(pk=job.pk).update(
            status=status, checked_rows=job.total_rows, imported_rows=imported,
            rejected=rejected, finished_at=clock.now(),
        )  # fmt: skip
        record(
            "catalog.prices.imported", actor=actor, obj=job,
            data={"imported": imported, "rejected": len(rejected)},
        )  # fmt: skip
    job.refresh_from_db()
    return job
