"""A converted identity's patient rows (ASYL-7, UT-6): the new record, the retired old one,
and the aliases that let the old number still find the patient.

The conversion itself (which identities may be converted, and to what) is a customer-service
case (lmn.cases.conversion); these functions change only this app's rows, inside the
caller's transaction.
"""

from __future__ import annotations

from lmn.core import clock
from lmn.core.errors import DomainError

from ..models import PERSONAL_KINDS, IdentityKind, Patient, PatientAlias


def create_converted_identity(patient: Patient, *, kind: str, **values: object) -> Patient:
    """The new record; what the new identity does not say is kept from the old one."""
    defaults: dict[str, object] = {
        "street": patient.street,
        "postcode": patient.postcode,
        "city": patient.city,
        "dwelling": patient.dwelling,
        "resident_region": patient.resident_region,
        "region_name": patient.region_name,
        "care_home_unit": patient.care_home_unit,
    }
    defaults.update(values)
    assert kind in PERSONAL_KINDS or kind == IdentityKind.LMA
    return Patient.objects.create(identity_kind=kind, **defaults)


def convert_identity_rows(patient: Patient, target: Patient) -> None:
    """Retire `patient` in favour of `target`; its identifiers become aliases of `target`.

    The retirement is a conditional update: of two agents converting the same record at
    once, one matches the row and the other is refused, so history never moves twice.
    """
    old_kind, old_identifier = patient.identity_kind, patient.identifier
    retired = Patient.objects.filter(pk=patient.pk, converted_to__isnull=True).update(
        converted_to=target,
        identity_kind=IdentityKind.CONVERTED,
        identifier=f"KV{patient.pk:010d}",
    )
    if retired != 1:
        raise DomainError.single(
            "already_converted", "Identiteten har redan konverterats av någon annan."
        )
    # aliases of earlier conversions (UT → LMA → personnummer) follow along
    PatientAlias.objects.filter(patient=patient).update(patient=target)
    PatientAlias.objects.create(
        identity_kind=old_kind,
        identifier=old_identifier,
        patient=target,
        created_at=clock.now(),
    )
