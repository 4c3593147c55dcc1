from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lmn.core.states import ApplicationStatus

customer_number_validator = RegexValidator(r"^\d{6}$", "Kundnumret ska vara sex siffror.")


class CareProvider(models.Model):
    """A vårdgivare: the region, a municipality or a private provider (PDL-1).

    Data crossing from one care provider's unit to another's needs the patient's consent.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Kommun")
        PRIVATE = "private", _("Privat vårdgivare")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.CharField(max_length=10, default="VG")
    hsa_id = models.CharField("HSA-id", max_length=40, blank=True)

    def __str__(self) -> str:
        return self.name


class Payer(models.Model):
    """Who is invoiced (UNIT-1), with the invoice address."""

    name = models.CharField(max_length=200)
    invoice_reference = models.CharField(max_length=100, blank=True)
    invoice_street = models.CharField(max_length=200)
    invoice_postcode = models.CharField(max_length=5)
    invoice_city = models.CharField(max_length=100)
    region = models.CharField(max_length=10, default="VG")
    # the payer's Swedish organisation number (10 digits, no hyphen), the buyer's legal id
    organisation_number = models.CharField(max_length=10, blank=True)
    # Peppol participant id (INV-4): scheme 0007 = Swedish organisation number, 0088 = GLN;
    # empty = the payer gets PDF invoices only
    peppol_scheme = models.CharField(
        max_length=4, blank=True, choices=[("0007", "Organisationsnummer"), ("0088", "GLN")]
    )
    peppol_id = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.name

    @property
    def has_invoice_address(self) -> bool:
        return bool(self.invoice_street.strip() and self.invoice_postcode and self.invoice_city)

    @property
    def uses_peppol(self) -> bool:
        return bool(self.peppol_scheme and self.peppol_id)


class PrescribingUnit(models.Model):
    """A customer: a care unit with a six-digit customer number (UNIT-1)."""

    class Kind(models.TextChoices):
        HEALTH_CENTRE = "health_centre", _("Vårdcentral")
        HOSPITAL_WARD = "hospital_ward", _("Sjukhusavdelning")
        SPECIAL_HOUSING = "special_housing", _("Särskilt boende")
        HOME_CARE = "home_care", _("Hemsjukvård")
        ASYLUM = "asylum", _("Asylenhet")
        SPECIALIST = "specialist", _("Specialistmottagning")

    customer_number = models.CharField(
        max_length=6, unique=True, validators=[customer_number_validator]
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    care_provider = models.ForeignKey(CareProvider, on_delete=models.PROTECT, related_name="units")
    hsa_id = models.CharField(max_length=40, blank=True)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    # where joint deliveries to a special-housing ward are left in the daytime (SAM-3),
    # e.g. "Godsmottagningen, entréplan, lastkaj B"
    delivery_place = models.CharField("leveransplats", max_length=200, blank=True)
    region = models.CharField(max_length=10, default="VG")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["customer_number"]

    def __str__(self) -> str:
        return f"{self.customer_number} {self.name}"


class UnitPayer(models.Model):
    """The payer of a unit for one product area (UNIT-2)."""

    unit = models.ForeignKey(PrescribingUnit, on_delete=models.CASCADE, related_name="payers")
    product_area = models.ForeignKey("catalog.ProductArea", on_delete=models.PROTECT)
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="unit_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "product_area"], name="unitpayer_one_payer_per_area"
            )
        ]


class CustomerNumberCounter(models.Model):
    """The last customer number handed out on SQLite (PostgreSQL uses a sequence).

    Only ever counts up, so a number is never handed out twice, not even the number of
    a unit that was deactivated or removed (UNIT-1).
    """

    name = models.CharField(max_length=30, unique=True)
    value = models.BigIntegerField()


class UnitApplication(models.Model):
    """A head of unit's application for a new or changed prescribing unit (ACC-4, UNIT-3)."""

    class Kind(models.TextChoices):
        NEW = "new", _("Ny enhet")
        CHANGE = "change", _("Ändrad enhet")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    applicant = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="unit_applications"
    )
    # the unit the head acted in when applying; a new unit joins its care provider
    applicant_unit = models.ForeignKey(
        PrescribingUnit, on_delete=models.PROTECT, related_name="+", null=True
    )
    care_provider = models.ForeignKey(CareProvider, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(  # the unit changed (CHANGE), or the one made on approval (NEW)
        PrescribingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    name = models.CharField(max_length=200)
    unit_kind = models.CharField(max_length=30, choices=PrescribingUnit.Kind.choices)
    hsa_id = models.CharField(max_length=40, blank=True)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    delivery_place = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            # administration's queue: the submitted applications, oldest first
            models.Index(fields=["status", "submitted_at"], name="unitapp_status_submitted"),
        ]


class UnitApplicationPayer(models.Model):
    """The payer and invoice address applied for in one product area (UNIT-2, UNIT-3)."""

    application = models.ForeignKey(
        UnitApplication, on_delete=models.CASCADE, related_name="payers"
    )
    product_area = models.ForeignKey("catalog.ProductArea", on_delete=models.PROTECT)
    name = models.CharField(max_length=200)
    invoice_reference = models.CharField(max_length=100, blank=True)
    invoice_street = models.CharField(max_length=200)
    invoice_postcode = models.CharField(max_length=5)
    invoice_city = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "product_area"], name="unitapppayer_one_per_area"
            )
        ]
