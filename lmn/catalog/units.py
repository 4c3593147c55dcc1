"""Ordering units in words: "1 flaska", "180 flaskor", "3 st", "2 förp".

A product's `ordering_unit` is stored in the singular as the region writes it. Every
place that shows an amount with its unit (pages, refusals, labels) goes through here,
so the plural is right everywhere and a new unit is added in one place.
"""

from __future__ import annotations

# singular -> plural; abbreviations ("st", "förp") and words like "paket" stay as they are
PLURALS: dict[str, str] = {
    "ask": "askar",
    "burk": "burkar",
    "dosa": "dosor",
    "flaska": "flaskor",
    "förpackning": "förpackningar",
    "kartong": "kartonger",
    "kassett": "kassetter",
    "nål": "nålar",
    "plåster": "plåster",
    "pump": "pumpar",
    "påse": "påsar",
    "rulle": "rullar",
    "sats": "satser",
    "sensor": "sensorer",
    "spruta": "sprutor",
    "tub": "tuber",
}


def unit_word(quantity: int, unit: str) -> str:
    """The unit in the form the number takes: singular for 1 (and -1), else plural."""
    if abs(quantity) == 1:
        return unit
    return PLURALS.get(unit.lower(), unit)


def quantity_text(quantity: int, unit: str) -> str:
    """ "180 flaskor": the amount and its unit."""
    return f"{quantity} {unit_word(quantity, unit)}"
