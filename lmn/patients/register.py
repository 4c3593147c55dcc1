"""The population-register adapter (Västfolket, PAT-1).

These are the only calls the rest of LMN makes. The synthetic register reads
`RegisterRecord`; a production adapter would call the regional register service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from lmn.core.prepared import Prepared

from .models import RegisterRecord

# every first lookup of a person reads the register: compiled once (core.prepared)
_by_identifier = Prepared(
    lambda identifier: RegisterRecord.objects.filter(identifier=identifier).order_by("pk")[:1]
)


def lookup(canonical_identifier: str) -> RegisterRecord | None:
    found = _by_identifier(identifier=canonical_identifier)
    return found[0] if found else None


def person_fields(entry: RegisterRecord) -> dict[str, Any]:
    """What a patient record takes from the register: name, address, dwelling, region."""
    return {
        "first_name": entry.first_name,
        "last_name": entry.last_name,
        "street": entry.street,
        "postcode": entry.postcode,
        "city": entry.city,
        "dwelling": entry.dwelling,
        "resident_region": entry.region,
        "region_name": entry.region_name,
    }


def protected_identifiers() -> QuerySet[RegisterRecord, str]:
    """The identifiers the register protects (SKYDD-7), usable as a subquery."""
    return RegisterRecord.objects.filter(protected=True).values_list("identifier", flat=True)


def deceased_identifiers() -> QuerySet[RegisterRecord, str]:
    """The identifiers the register reports deceased, usable as a subquery."""
    return RegisterRecord.objects.filter(deceased_on__isnull=False).values_list(
        "identifier", flat=True
    )


def deaths_among(identifiers: list[str]) -> dict[str, dt.date]:
    """Which of `identifiers` the register reports deceased, and on which day."""
    rows = RegisterRecord.objects.filter(
        identifier__in=identifiers, deceased_on__isnull=False
    ).values_list("identifier", "deceased_on")
    return {identifier: day for identifier, day in rows if day is not None}
