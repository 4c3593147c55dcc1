from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    VASTRA_GOTALAND = "VG", _("Västra Götaland")
    HALLAND = "HALLAND", _("Halland")
    OTHER = "OTHER", _("Annan region")


class Dwelling(models.TextChoices):
    HOUSE = "house", _("Villa/radhus")
    MULTI_FAMILY = "multi_family", _("Flerfamiljshus")
    CARE_HOME = "care_home", _("Särskilt boende")


class IdentityKind(models.TextChoices):
    PERSONNUMMER = "personnummer", _("Personnummer")
    SAMORDNINGSNUMMER = "samordningsnummer", _("Samordningsnummer")
    # asylum seeker: the first eight digits of the LMA card are the key (ASYL-3, ASYL-5)
    LMA = "lma", _("LMA-nummer")
    # person without permit: birth date + name " - UT"; the identifier is internal (UT-4)
    UT = "ut", _("Utan tillstånd (- UT)")
    # protected identity registered by the unit's case: a pseudonym bound to the unit (SKYDD-2)
    PROTECTED = "protected", _("Skyddad identitet (enhet som mottagare)")
    # a record whose history was moved to another identity (ASYL-7, UT-6)
    CONVERTED = "converted", _("Konverterad")


# identity kinds whose identifier is a number a person carries (searchable as typed)
PERSONAL_KINDS = frozenset({IdentityKind.PERSONNUMMER, IdentityKind.SAMORDNINGSNUMMER})
# kinds for which the region's asylum unit prescribes and is invoiced (ASYL-3, UT-2)
ASYLUM_UNIT_KINDS = frozenset({IdentityKind.LMA, IdentityKind.UT})


class RegisterRecord(models.Model):
    """A person in the population register (Västfolket, PAT-1).

    In training and tests this table is the synthetic register and, like the national
    register, holds everyone: other regions' residents and samordningsnummer too. What LMN
    may import from it is only a full personnummer registered in Västra Götaland or
    Halland (PAT-1, PAT-2: lmn.patients.services.findable_in_register). In production an
    adapter to the real register replaces `lmn.patients.register`.
    """

    identifier = models.CharField(max_length=12, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    dwelling = models.CharField(max_length=20, choices=Dwelling.choices, default=Dwelling.HOUSE)
    region = models.CharField(max_length=10, choices=Region.choices)
    region_name = models.CharField(max_length=60, blank=True)
    protected = models.BooleanField(default=False)
    # the register reports deaths; the sync stops what is open for the patient
    deceased_on = models.DateField(null=True, blank=True)


class Patient(models.Model):
    """A patient known to LMN: imported from the register on first lookup."""

    identity_kind = models.CharField(max_length=20, choices=IdentityKind.choices)
    identifier = models.CharField(max_length=12, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    birth_date = models.DateField()
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    dwelling = models.CharField(max_length=20, choices=Dwelling.choices, default=Dwelling.HOUSE)
    resident_region = models.CharField(max_length=10, choices=Region.choices)
    region_name = models.CharField(max_length=60, blank=True)
    care_home_unit = models.ForeignKey(
        "organisations.PrescribingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    # Protected identity (SKYDD): visible only inside `protected_unit`; with no unit,
    # visible to nobody (the record is locked, SKYDD-7).
    protected = models.BooleanField(default=False)
    protected_unit = models.ForeignKey(
        "organisations.PrescribingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # LMA card (ASYL-3): the digit after "/" is kept as given, never validated as a check digit
    lma_card_sequence = models.CharField(max_length=2, blank=True)
    lma_valid_until = models.DateField(null=True, blank=True)
    # set when the history moved to another identity; the record then answers to no search
    converted_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # set by the register sync when the register reports the death: open withdrawals are
    # stopped and prescriptions end (lmn.cases.register_sync)
    deceased_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # UT-5: advanced search on name + birth date
            models.Index(fields=["birth_date", "last_name"], name="patient_birth_last_name"),
        ]

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def identifier_display(self) -> str:
        if self.identity_kind == IdentityKind.LMA:
            return f"{self.identifier[:2]}-{self.identifier[2:]}"
        if self.identity_kind in PERSONAL_KINDS:
            return f"{self.identifier[:8]}-{self.identifier[8:]}"
        return self.birth_date.strftime("%Y%m%d")  # UT-2: birth date in the personnummer field

    def __str__(self) -> str:
        return f"Patient {self.pk}"  # never the name or number: str() ends up in logs


class PatientAlias(models.Model):
    """An identity a patient used to have: it resolves to the record that now holds the
    history (ASYL-7, UT-6). Rows are never deleted, so an old number never finds nothing."""

    identity_kind = models.CharField(max_length=20, choices=IdentityKind.choices)
    identifier = models.CharField(max_length=12, unique=True)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="aliases")
    created_at = models.DateTimeField()


class CareRelationship(models.Model):
    """A user's statement that they take part in the patient's care (PDL-1), or an
    emergency access (PDL-2): it opens other units' prescriptions and withdrawals of
    this patient to this user, in this unit, for the working day it was stated on.

    Consent covers data of another care provider; an emergency access opens everything,
    blocked data too. Every statement is audited and flagged for the auditor's follow-up.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    actor_hsa_id = models.CharField(max_length=60)
    unit = models.ForeignKey("organisations.PrescribingUnit", on_delete=models.PROTECT)
    reason = models.CharField(max_length=500)
    consent = models.BooleanField(default=False)
    emergency = models.BooleanField(default=False)
    valid_on = models.DateField()  # the working day (Stockholm) it holds for
    stated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["actor_hsa_id", "valid_on"], name="carerel_actor_day"),
        ]


class PatientBlock(models.Model):
    """A patient's block (spärr) of one unit's data towards every other unit (PDL-2),
    registered by customer service; lifted, never deleted."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="blocks")
    unit = models.ForeignKey("organisations.PrescribingUnit", on_delete=models.PROTECT)
    reason = models.CharField(max_length=500, blank=True)
    registered_by = models.CharField(max_length=60)  # customer service's HSA-id
    registered_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "unit"],
                condition=models.Q(lifted_at__isnull=True),
                name="patientblock_one_active_per_unit",
            )
        ]
