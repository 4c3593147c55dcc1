from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .states import CaseKind, CaseStatus


class Case(models.Model):
    """A customer-service case: the digital form that replaces a faxed one (CH-1).

    Which fields are filled in depends on the kind; `services.validate_case` says which.
    A protected-identity case never holds anything about the patient (SKYDD-2).
    """

    kind = models.CharField(max_length=30, choices=CaseKind.choices)
    status = models.CharField(
        max_length=30, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="submitted_cases"
    )
    # the prescriber's unit; for a protected identity also the recipient (SKYDD-2)
    unit = models.ForeignKey(
        "organisations.PrescribingUnit", on_delete=models.PROTECT, related_name="cases"
    )
    # existing patient (out of assortment, outside region); set on approval for the others
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # the prescription asked for
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT)
    consumption_amount = models.PositiveIntegerField()
    consumption_period = models.CharField(max_length=10)
    instructions = models.CharField(max_length=500, blank=True)
    # asylum seeker / without permit (ASYL-3, UT-2)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    lma_number = models.CharField(max_length=8, blank=True)
    lma_card_sequence = models.CharField(max_length=2, blank=True)
    lma_valid_until = models.DateField(null=True, blank=True)
    care_cannot_wait = models.BooleanField(null=True, blank=True)  # ASYL-2, UT-1
    # outside the region, a person the register does not give LMN (PAT-1, PAT-2, CH-1):
    # the personnummer or samordningsnummer, with first_name and last_name above
    personal_number = models.CharField(max_length=12, blank=True)
    # out of assortment (OOA-1)
    justification = models.TextField(blank=True)
    # protected identity: who receives the parcel at the unit (SKYDD-5)
    care_of = models.CharField(max_length=100, blank=True)
    # the prescriber's own contact details (SKYDD-4, CON-4)
    contact_email = models.CharField(max_length=254, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    # decisions
    return_reason = models.TextField(blank=True)  # OOA-2
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    prescription = models.ForeignKey(
        "prescriptions.Prescription", on_delete=models.PROTECT, null=True, blank=True
    )
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            # customer service's work queue: open cases by kind, oldest first
            models.Index(fields=["status", "kind", "submitted_at"], name="case_queue"),
            # a prescriber's own unit's cases
            models.Index(fields=["unit", "submitted_at"], name="case_unit_submitted"),
        ]

    @property
    def reference(self) -> str:
        return f"K{self.pk:08d}"

    def __str__(self) -> str:
        return self.reference  # never the name: str() ends up in logs


class CaseEvent(models.Model):
    """History of a case: one row per transition, with the stated reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    actor_hsa_id = models.CharField(max_length=60)
    reason = models.TextField(blank=True)


class FollowUp(models.Model):
    """Something customer service must act on that a scheduled check found (OOA-3)."""

    class Kind(models.TextChoices):
        OOA_LONG_DELIVERY = "ooa_long_delivery", _("Leveranstid över 10 dagar (utanför sortiment)")
        OOA_NOT_COLLECTED = "ooa_not_collected", _("Ej uthämtad (utanför sortiment, ej retur)")
        # SKYDD-7, SKYDD-5: held until the unit says how the parcel is to be delivered
        PROTECTED_HOLD = (
            "protected_hold",
            _("Skyddade personuppgifter: uttaget väntar på enhetens beslut om leverans"),
        )
        # the register reports the patient deceased: the withdrawal is stopped
        DECEASED = "deceased", _("Patienten har avlidit: uttaget är stoppat")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    withdrawal = models.ForeignKey(
        "withdrawals.Withdrawal", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # the check runs often: one follow-up per withdrawal and kind
            models.UniqueConstraint(fields=["kind", "withdrawal"], name="followup_once_per_kind")
        ]
        indexes = [models.Index(fields=["closed_at", "created_at"], name="followup_open")]


class ContactLog(models.Model):
    """Customer service contacted someone about a follow-up (OOA-3, CON-4)."""

    class Party(models.TextChoices):
        PRESCRIBER = "prescriber", _("Förskrivare")
        PATIENT = "patient", _("Patient")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-post")
        PHONE = "phone", _("Telefon")
        LETTER = "letter", _("Brev")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="contacts")
    party = models.CharField(max_length=20, choices=Party.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField()
    actor_hsa_id = models.CharField(max_length=60)
