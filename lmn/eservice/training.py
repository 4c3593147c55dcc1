"""The training login's people: patients of the training world who have the e-service."""

from __future__ import annotations

from dataclasses import dataclass

from lmn.patients.models import PERSONAL_KINDS, Patient

SHOWN = 8
# Tolvan Tolvansson, the training world's patient with a history (lmn/demo/data.py TOLVAN;
# named here because adapters do not import each other), comes first
FIRST = "191212121212"


@dataclass(frozen=True)
class TrainingPerson:
    identifier: str
    name: str


def training_people() -> list[TrainingPerson]:
    """Up to eight unprotected patients with prescriptions (training only)."""
    first = Patient.objects.filter(identifier=FIRST, protected=False).first()
    rows = (
        Patient.objects.filter(
            protected=False,
            identity_kind__in=sorted(PERSONAL_KINDS),
            deceased_on__isnull=True,
            converted_to__isnull=True,
            prescriptions__isnull=False,
        )
        .distinct()
        .exclude(identifier=FIRST)
        .order_by("last_name", "first_name", "pk")[:SHOWN]
    )
    people = ([first] if first is not None else []) + list(rows)
    return [TrainingPerson(p.identifier, p.name) for p in people[:SHOWN]]
