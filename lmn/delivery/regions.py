"""Which region a Swedish postcode lies in, as far as delivery promises need to know.

A coarse table of three-digit postcode prefixes for Västra Götaland, kept as data.
It errs towards "outside": then no 5-day promise is made (OUT-3), which is the safe
mistake. Halland's prefixes that sit among Västra Götaland's (Kungsbacka 434,
Varberg 432) are left out on purpose.
"""

from __future__ import annotations

VG_PREFIX_RANGES: list[tuple[int, int]] = [
    (400, 431),  # Göteborg, Mölndal, Partille, Kungälv
    (433, 433),  # Partille/Lerum
    (435, 449),  # Mölnlycke, Härryda, Alingsås, Stenungsund
    (450, 479),  # Uddevalla, Trollhättan, Vänersborg, Lysekil, Strömstad, Tjörn, Orust
    (500, 549),  # Borås, Ulricehamn, Falköping, Skövde, Lidköping, Mariestad
    (662, 662),  # Åmål
    (666, 666),  # Bengtsfors
    (668, 668),  # Ed
]


def region_of_postcode(postcode: str) -> str:
    """'VG' for Västra Götaland, otherwise 'OTHER'."""
    if len(postcode) != 5 or not postcode.isdigit():
        return "OTHER"
    prefix = int(postcode[:3])
    return "VG" if any(lo <= prefix <= hi for lo, hi in VG_PREFIX_RANGES) else "OTHER"
