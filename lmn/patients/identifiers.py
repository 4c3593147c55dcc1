"""Personal identity numbers: parse any common format, store one canonical form."""

from __future__ import annotations

import datetime as dt
import re
import secrets
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


# LMA card numbers as written on the card or typed: "50-008920/4", "50008920", "50-008920".
_LMA = re.compile(r"^\s*([0-9]{2})\s*-?\s*([0-9]{6})\s*(?:/\s*([0-9]{1,2}))?\s*$", re.ASCII)


@dataclass(frozen=True)
class LmaNumber:
    key: str  # the first eight digits: the patient's identifier (ASYL-3)
    card_sequence: str  # the digit(s) after "/", kept as given, not a check digit

    @property
    def display(self) -> str:
        return f"{self.key[:2]}-{self.key[2:]}"


def looks_like_lma(raw: object) -> bool:
    return isinstance(raw, str) and _LMA.match(raw) is not None


def parse_lma(raw: str, *, field: str = "lma_number") -> LmaNumber:
    """The key of an LMA number. The digit after "/" is not validated: its algorithm is
    not public and by some sources it is the card's sequence number (NOTES.md)."""
    match = _LMA.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise DomainError.single(
            "invalid_lma_number",
            "Ange LMA-numret med de första åtta siffrorna, t.ex. 50-008920 eller 50-008920/4.",
            field,
        )
    return LmaNumber(key=match.group(1) + match.group(2), card_sequence=match.group(3) or "")


def internal_identifier(prefix: str) -> str:
    """An internal identifier for a person who has no number (UT-4, SKYDD-2).

    Two letters and ten digits: it can never equal a personnummer, samordningsnummer
    (12 digits) or LMA key (8 digits), so no search by a real number can reach it.
    """
    assert len(prefix) == 2 and prefix.isalpha()
    return f"{prefix}{secrets.randbelow(10**10):010d}"
