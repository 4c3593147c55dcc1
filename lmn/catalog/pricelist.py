"""Reading a price list (CSV or Excel) into rows, and checking each row on its own.

Columns, by header name: artikelnummer, pris (SEK per unit, decimal comma or point),
giltig_fran (YYYY-MM-DD) and moms (the VAT rate in percent, one of the VatRate codes).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

COLUMNS = ("artikelnummer", "pris", "giltig_fran", "moms")
MAX_PRICE = Decimal("1e10")  # ProductPrice.unit_price holds 12 digits, 2 of them decimals


class UnreadableFile(Exception):
    """Not a CSV or Excel file with the expected columns."""


@dataclass(frozen=True)
class RawRow:
    number: int  # the row in the file, header = 1, as a spreadsheet shows it
    article: str
    price: str
    valid_from: str
    vat: str


@dataclass(frozen=True)
class PriceRow:
    number: int
    article: str
    price: Decimal
    valid_from: dt.date
    vat: str


def read(file_name: str, content: bytes) -> list[RawRow]:
    if file_name.lower().endswith(".xlsx"):
        table = _excel(content)
    else:
        table = _csv(content)
    if not table:
        raise UnreadableFile(_("Filen är tom."))
    header = [str(c or "").strip().lower() for c in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise UnreadableFile(_("Kolumner saknas: %(columns)s.") % {"columns": ", ".join(missing)})
    at = [header.index(c) for c in COLUMNS]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = [_cell(cells[i]) if i < len(cells) else "" for i in at]
        if any(values):
            rows.append(RawRow(number, *values))
    return rows


def _cell(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")  # Excel's "CSV" on Swedish Windows
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _excel(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception as error:  # openpyxl raises several kinds for a file that is not xlsx
        raise UnreadableFile(_("Excelfilen kunde inte läsas.")) from error
    if sheet is None:
        raise UnreadableFile(_("Filen är tom."))
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def check(row: RawRow, vat_codes: set[str]) -> tuple[PriceRow | None, tuple[str, str] | None]:
    """The row as a price, or (code, message) saying why it is rejected."""
    if not row.article:
        return None, ("article_missing", _("Artikelnummer saknas."))
    try:
        price = Decimal(row.price.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None, ("price_invalid", _("Priset är inte ett tal."))
    if not price.is_finite() or price >= MAX_PRICE:
        return None, ("price_invalid", _("Priset är inte ett rimligt tal."))
    if price < 0:
        return None, ("price_negative", _("Priset får inte vara negativt."))
    if price != price.quantize(Decimal("0.01")):
        return None, ("price_decimals", _("Priset får ha högst två decimaler."))
    try:
        valid_from = dt.date.fromisoformat(row.valid_from)
        if len(row.valid_from) != 10:
            raise ValueError
    except ValueError:
        return None, ("date_invalid", _("Datumet ska skrivas ÅÅÅÅ-MM-DD."))
    vat = row.vat.replace(",", ".").removesuffix("%").strip()
    vat = vat[:-3] if vat.endswith(".00") else vat.removesuffix(".0")
    if vat not in vat_codes:
        return None, ("vat_unknown", _("Okänd momssats: %(vat)s.") % {"vat": row.vat})
    return PriceRow(row.number, row.article, price, valid_from, vat), None
