"""The patient's log extract (PDL-4): every access to one patient's data, with who did
it (name and title), in which unit and care provider, and what was done.

`log_extract_for` is the one query; the portal renders it as a PDF for customer service
and the auditor, and the e-service and FHIR adapters reuse it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lmn.accounts.models import User
from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.organisations.models import PrescribingUnit
from lmn.patients.models import Patient

# what an action did, in words a patient understands; never the internal action code
WHAT = {
    "patients.patient.read": _("Läste patientens uppgifter"),
    "patients.patient.searched": _("Sökte fram patienten"),
    "patients.patient.registered": _("Registrerade patienten"),
    "patients.identity.converted": _("Bytte patientens identitet"),
    "patients.care_relationship": _("Angav vårdrelation"),
    "patients.emergency_access": _("Nödåtkomst"),
    "patients.block.registered": _("Registrerade spärr"),
    "patients.block.lifted": _("Hävde spärr"),
    "prescriptions.prescription.created": _("Förskrev"),
    "prescriptions.prescription.read": _("Läste en förskrivning"),
    "prescriptions.prescription.ended": _("Avslutade en förskrivning"),
    "withdrawals.withdrawal.placed": _("Beställde (uttag)"),
    "withdrawals.withdrawal.read": _("Läste ett uttag"),
    "withdrawals.withdrawal.delivery_changed": _("Ändrade leveransen av ett uttag"),
    "withdrawals.joint_order.read": _("Läste en sambeställning"),
    "cases.case.read": _("Läste ett ärende"),
    "cases.case.submitted": _("Skickade ett ärende"),
}
OTHER = _("Hanterade patientens uppgifter")
SYSTEM = _("LMN (automatiskt)")


@dataclass(frozen=True)
class ExtractRow:
    event_id: int
    at: dt.datetime
    who: str  # the user's name, or the system
    title: str  # the role the user acted in
    unit: str
    care_provider: str
    what: str


def describe(action: str) -> str:
    return str(WHAT.get(action, OTHER))


def rows_for(events: Iterable[AuditEvent]) -> list[ExtractRow]:
    """Events as rows with names: two queries for users and units, however many."""
    events = list(events)
    users = {
        u.hsa_id: u
        for u in User.objects.filter(hsa_id__in={e.actor_hsa_id for e in events}).only(
            "hsa_id", "first_name", "last_name", "username"
        )
    }
    units = {
        u.customer_number: u
        for u in PrescribingUnit.objects.filter(
            customer_number__in={e.unit_number for e in events if e.unit_number}
        ).select_related("care_provider")
    }
    rows = []
    for e in events:
        user = users.get(e.actor_hsa_id)
        unit = units.get(e.unit_number)
        rows.append(
            ExtractRow(
                event_id=e.pk,
                at=e.at,
                who=(user.get_full_name() or user.username) if user else str(SYSTEM),
                title=str(Role.LABELS.get(e.actor_role, "")),
                unit=unit.name if unit else "",
                care_provider=unit.care_provider.name if unit else "",
                what=describe(e.action),
            )
        )
    return rows


def log_extract_for(patient: Patient) -> list[ExtractRow]:
    """Every access to the patient's data, oldest first (PDL-4).

    Built from the patient's own audit events only, and from their action, never their
    data: an extract never names another patient (a protected identity's included).
    Misses and refusals are left out: they showed nothing of the patient.
    """
    events = AuditEvent.objects.filter(
        patient_id=patient.pk, outcome=AuditEvent.Outcome.OK
    ).order_by("at", "id")
    return rows_for(events)
