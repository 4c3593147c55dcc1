"""The population-register adapter (Västfolket, PAT-1).

`lookup` is the only call the rest of LMN makes. The synthetic register reads
`RegisterRecord`; a production adapter would call the regional register service.
"""

from __future__ import annotations

from .models import RegisterRecord


def lookup(canonical_identifier: str) -> RegisterRecord | None:
    return RegisterRecord.objects.filter(identifier=canonical_identifier).first()
