from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from lmn.catalog.models import PriceImport, ProductPrice
from lmn.catalog.services import process_price_import, start_price_import
from lmn.core.actor import Actor
from lmn.testing.types import World

ADMIN = Actor.system("test-admin")
HEADER = "artikelnummer;pris;giltig_fran;moms\n"


def _import(world: World, body: str, name: str = "prislista.csv") -> PriceImport:
    made = start_price_import(name, (HEADER + body).encode(), actor=ADMIN)
    return process_price_import(made.pk, actor=ADMIN)


@pytest.mark.rule("INV-1")
def test_a_good_csv_list_adds_every_price(world: World) -> None:
    a, n = world.diabetes_product.article_number, world.nutrition_product.article_number
    done = _import(world, f"{a};89,50;2027-01-01;25\n{n};12.00;2027-01-01;12 %\n")
    assert (done.status, done.imported_rows, done.rejected, done.percent) == ("done", 2, [], 100)
    price = ProductPrice.objects.get(
        product=world.nutrition_product, valid_from=dt.date(2027, 1, 1)
    )
    assert (price.unit_price, price.vat_rate.code) == (Decimal("12.00"), "12")


def test_an_excel_list_is_read_as_well(world: World) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Artikelnummer", "Pris", "Giltig_fran", "Moms"])
    sheet.append([world.diabetes_product.article_number, 77.25, dt.datetime(2027, 2, 1), 25])
    content = io.BytesIO()
    book.save(content)
    made = start_price_import("lista.xlsx", content.getvalue(), actor=ADMIN)
    done = process_price_import(made.pk, actor=ADMIN)
    assert (done.status, done.imported_rows) == ("done", 1)


def test_each_bad_row_is_reported_and_nothing_is_imported(world: World) -> None:
    a = world.diabetes_product.article_number
    before = ProductPrice.objects.count()
    done = _import(
        world,
        f"{a};10,00;2027-01-01;25\n"  # row 2: good, but not imported with the others
        ";10,00;2027-01-01;25\n"  # 3: article missing
        "999999999;10,00;2027-01-01;25\n"  # 4: not in the assortment
        f"{a};-5,00;2027-02-01;25\n"  # 5: negative price
        f"{a};10,00;2027-01-01;25\n"  # 6: the same as row 2
        f"{a};10,00;1/3/2027;25\n"  # 7: the date in the wrong format
        f"{a};10,00;2027-03-01;17\n"  # 8: no such VAT rate
        f"{a};tio;2027-04-01;25\n"  # 9: not a number
        f"{a};10,00;2000-01-01;25\n",  # 10: a price from that date exists already
    )
    assert done.status == "rejected" and done.imported_rows == 0
    assert [(r["row"], r["code"]) for r in done.rejected] == [
        (3, "article_missing"), (4, "article_unknown"), (5, "price_negative"),
        (6, "row_duplicated"), (7, "date_invalid"), (8, "vat_unknown"), (9, "price_invalid"),
        (10, "price_exists"),
    ]  # fmt: skip
    assert all(r["message"] for r in done.rejected)
    assert ProductPrice.objects.count() == before


def test_a_file_that_is_not_a_price_list_is_reported(world: World) -> None:
    made = start_price_import("lista.csv", b"namn;adress\nx;y\n", actor=ADMIN)
    done = process_price_import(made.pk, actor=ADMIN)
    assert done.status == "rejected"
    assert done.rejected[0]["code"] == "file_unreadable"
    broken = start_price_import("lista.xlsx", b"not a workbook", actor=ADMIN)
    assert process_price_import(broken.pk, actor=ADMIN).rejected[0]["code"] == "file_unreadable"


def test_processing_again_changes_nothing(world: World) -> None:
    a = world.diabetes_product.article_number
    done = _import(world, f"{a};50,00;2027-05-01;25\n")
    again = process_price_import(done.pk, actor=ADMIN)
    assert again.imported_rows == 1
    assert ProductPrice.objects.filter(valid_from=dt.date(2027, 5, 1)).count() == 1
