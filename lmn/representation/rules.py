"""Pure rules of the patient's e-service (EPAT-1, EPAT-2): values in, a decision out."""

from __future__ import annotations

import datetime as dt

from lmn.patients.models import PERSONAL_KINDS, Patient

ADULT_AGE = 18
MAX_POWER_YEARS = 5  # a power of attorney is given for at most this long


def has_eservice(patient: Patient) -> bool:
    """EPAT-1: protected identities, asylum seekers (LMA) and persons without permit (UT)
    have no e-service; neither has a record whose history moved or a deceased person."""
    return (
        not patient.protected
        and patient.identity_kind in PERSONAL_KINDS
        and patient.converted_to_id is None
        and patient.deceased_on is None
    )


def age_on(birth_date: dt.date, day: dt.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def guardian_may_act(child: Patient, *, today: dt.date) -> bool:
    """EPAT-2: a guardian acts for the child until the child turns 18."""
    return age_on(child.birth_date, today) < ADULT_AGE


def power_is_valid(
    *, valid_from: dt.date, valid_until: dt.date, revoked: bool, today: dt.date
) -> bool:
    return not revoked and valid_from <= today <= valid_until
