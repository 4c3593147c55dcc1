"""Personal identity numbers: parse any common format, store one canonical form."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from personnummer import personnummer as pnr_lib

from lmn.core.errors import DomainError

_ALLOWED = re.compile(r"^\s*[0-9]{6}([0-9]{2})?\s*[-+ ]?\s*[0-9]{4}\s*$", re.ASCII)


@dataclass(frozen=True)
class PersonalNumber:
    canonical: str  # 12 digits, YYYYMMDDNNNN
    coordination: bool  # samordningsnummer (day + 60)

    @property
    def display(self) -> str:
        return f"{self.canonical[:8]}-{self.canonical[8:]}"

    @property
    def birth_date(self) -> dt.date:
        day = int(self.canonical[6:8])
        if self.coordination:
            day -= 60
        return dt.date(int(self.canonical[:4]), int(self.canonical[4:6]), day)


def parse_personal_number(raw: str, *, field: str = "identifier") -> PersonalNumber:
    """Accepts 19121212-1212, 191212121212, 121212-1212, 1212121212 and 121212+1212."""
    if not isinstance(raw, str) or not _ALLOWED.match(raw):
        raise DomainError.single(
            "invalid_personal_number",
            "Ange ett personnummer eller samordningsnummer, t.ex. 19121212-1212.",
            field,
        )
    compact = re.sub(r"\s", "", raw)
    try:
        parsed = pnr_lib.parse(compact)
    except Exception:  # the library raises its own error types, and ValueError for dates
        raise DomainError.single(
            "invalid_personal_number",
            "Personnumret är inte giltigt (kontrollsiffran eller datumet stämmer inte).",
            field,
        ) from None
    return PersonalNumber(
        canonical=parsed.format(True), coordination=parsed.is_coordination_number()
    )
