"""Patients: finding them (and importing from the register on first lookup), registering
those the register does not give LMN, following the register, and identity conversion rows.
"""

from .find import (
    REGISTER_REGIONS,
    find_patient_by_identifier,
    findable_in_register,
    get_patient,
    record_patient_read,
    search_by_name_and_birth_date,
)
from .identity import convert_identity_rows, create_converted_identity
from .registration import (
    PSEUDONYM_BIRTH_DATE,
    UT_SUFFIX,
    check_birth_date,
    register_lma_patient,
    register_protected_patient,
    register_unlisted_patient,
    register_ut_patient,
    strip_ut_suffix,
)
from .sync import sync_deaths_from_register, sync_protection_from_register

__all__ = [
    "PSEUDONYM_BIRTH_DATE",
    "REGISTER_REGIONS",
    "UT_SUFFIX",
    "check_birth_date",
    "convert_identity_rows",
    "create_converted_identity",
    "find_patient_by_identifier",
    "findable_in_register",
    "get_patient",
    "record_patient_read",
    "register_lma_patient",
    "register_protected_patient",
    "register_unlisted_patient",
    "register_ut_patient",
    "search_by_name_and_birth_date",
    "strip_ut_suffix",
    "sync_deaths_from_register",
    "sync_protection_from_register",
]
