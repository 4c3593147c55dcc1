"""The case lifecycle as data (the digital form that replaces the fax)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    ASYLUM = "asylum", _("Asylsökande")  # ASYL-3
    WITHOUT_PERMIT = "without_permit", _("Person utan tillstånd (- UT)")  # UT-2
    PROTECTED_IDENTITY = "protected_identity", _("Skyddade personuppgifter")  # SKYDD-2
    OUT_OF_ASSORTMENT = "out_of_assortment", _("Produkt utanför sortiment")  # OOA-1
    OUTSIDE_REGION = "outside_region", _("Patient folkbokförd i annan region")  # CH-1


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Inskickat")  # waiting for customer service
    RETURNED = "returned_for_completion", _("Åter för komplettering")  # OOA-2: prescriber completes
    RESUBMITTED = "resubmitted", _("Kompletterat")  # completed, waiting for customer service again
    APPROVED = "approved", _("Godkänt")  # patient registered and prescription created
    REJECTED = "rejected", _("Avslaget")  # closed without a prescription


TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.SUBMITTED: frozenset(
        {CaseStatus.APPROVED, CaseStatus.RETURNED, CaseStatus.REJECTED}
    ),
    CaseStatus.RETURNED: frozenset({CaseStatus.RESUBMITTED}),
    CaseStatus.RESUBMITTED: frozenset(
        {CaseStatus.APPROVED, CaseStatus.RETURNED, CaseStatus.REJECTED}
    ),
    CaseStatus.APPROVED: frozenset(),
    CaseStatus.REJECTED: frozenset(),
}

# statuses in customer service's work queue
OPEN_FOR_DECISION = frozenset({CaseStatus.SUBMITTED, CaseStatus.RESUBMITTED})
# who may move a case to each status
DECISIONS = frozenset({CaseStatus.APPROVED, CaseStatus.RETURNED, CaseStatus.REJECTED})
