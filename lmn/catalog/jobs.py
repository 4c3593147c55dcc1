"""Work that runs beside the request: a price list is checked and imported as a task, so
the page shows its progress while it runs."""

from __future__ import annotations

from django.tasks import task

from lmn.core.actor import Actor

from .services import process_price_import


@task()
def import_price_list(import_id: int) -> dict[str, int]:
    done = process_price_import(import_id, actor=Actor.system("price-import"))
    return {"imported": done.imported_rows, "rejected": len(done.rejected)}
