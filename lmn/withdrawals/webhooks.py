"""Telling journal systems that a withdrawal changed state (issue 14): a registered
webhook of the ordering unit gets the withdrawal's number, its new status and its FHIR
SupplyRequests, never the patient; it reads the rest through FHIR with its own token."""

from __future__ import annotations

from django.db.models import Subquery

from lmn.core import clock
from lmn.notifications.models import Webhook
from lmn.notifications.services import queue_webhooks
from lmn.organisations.models import PrescribingUnit

from .models import Withdrawal


def notify_journal_systems(withdrawal: Withdrawal, status: str) -> int:
    """Queue the change for the ordering unit's webhooks (one query when there are none)."""
    if withdrawal.ordering_unit_id is None:  # placed by a patient or a system: no unit to tell
        return 0
    unit_number = PrescribingUnit.objects.filter(pk=withdrawal.ordering_unit_id).values(
        "customer_number"
    )[:1]
    hooks = Webhook.objects.filter(unit_number=Subquery(unit_number))
    if not hooks.exists():
        return 0
    lines = withdrawal.lines.count()
    payload = {
        "type": "withdrawal.status-changed",
        "withdrawal": withdrawal.number,
        "status": status,
        "at": clock.now().isoformat(),
        # the FHIR resources that changed (lmn.fhir): SupplyRequest ids are "<number>-<line>"
        "focus": [f"SupplyRequest/{withdrawal.number}-{i}" for i in range(1, lines + 1)],
    }
    return queue_webhooks(hooks, payload=payload, patient=withdrawal.patient, obj=withdrawal)
