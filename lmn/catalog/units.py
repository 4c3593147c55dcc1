"""Ordering units in words: "1 flaska", "180 flaskor", "3 st", "2 förp".

A product's `ordering_unit` is stored in the singular as the region writes it. Every
place that shows an amount with its unit (pages, refusals, labels) goes through here,
so the plural is right everywhere and a new unit is added in one place.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

# The words are Swedish as stored; they are marked (gettext_noop) so that the portal can
# show them in the reader's language (lmn.web.templatetags.words.amount).
COMMON_UNITS = (gettext_noop("st"), gettext_noop("förp"), gettext_noop("paket"))

# singular -> plural; abbreviations ("st", "förp") and words like "paket" stay as they are
PLURALS: dict[str, str] = {
    gettext_noop("ask"): gettext_noop("askar"),
    gettext_noop("burk"): gettext_noop("burkar"),
    gettext_noop("dosa"): gettext_noop("dosor"),
    gettext_noop("flaska"): gettext_noop("flaskor"),
    gettext_noop("förpackning"): gettext_noop("förpackningar"),
    gettext_noop("kartong"): gettext_noop("kartonger"),
    gettext_noop("kassett"): gettext_noop("kassetter"),
    gettext_noop("nål"): gettext_noop("nålar"),
    gettext_noop("plåster"): gettext_noop("plåster"),
    gettext_noop("pump"): gettext_noop("pumpar"),
    gettext_noop("påse"): gettext_noop("påsar"),
    gettext_noop("rulle"): gettext_noop("rullar"),
    gettext_noop("sats"): gettext_noop("satser"),
    gettext_noop("sensor"): gettext_noop("sensorer"),
    gettext_noop("spruta"): gettext_noop("sprutor"),
    gettext_noop("tub"): gettext_noop("tuber"),
}


def unit_word(quantity: int, unit: str) -> str:
    """The unit in the form the number takes: singular for 1 (and -1), else plural."""
    if abs(quantity) == 1:
        return unit
    return PLURALS.get(unit.lower(), unit)


def quantity_text(quantity: int, unit: str) -> str:
    """ "180 flaskor": the amount and its unit."""
    return f"{quantity} {unit_word(quantity, unit)}"
