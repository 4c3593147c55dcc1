from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .states import WithdrawalStatus


class JointOrder(models.Model):
    """A joint order (sambeställning, SAM-1): several residents of one ward at once.

    Each resident still gets an individual withdrawal, charged as usual (GEN-1); this
    row groups them so the distributor delivers them together, in the daytime, to the
    ward's designated place (SAM-3). Numbered S + 8 digits.
    """

    number = models.CharField(max_length=9, unique=True)
    ward = models.ForeignKey(
        "organisations.PrescribingUnit", on_delete=models.PROTECT, related_name="joint_orders"
    )
    ordered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True)
    placed_at = models.DateTimeField()
    delivery_place = models.CharField(max_length=200)  # the ward's place when ordered
    promised_delivery_date = models.DateField(null=True, blank=True)
    promise_note = models.CharField(max_length=200, blank=True)
    # the confirmation page's key: a second submit of the same page places nothing new
    idempotency_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="joint_order_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.number


class Withdrawal(models.Model):
    """An order (uttag) against one patient's prescriptions, numbered U + 8 digits."""

    # not a column: the lines and fees placing has just written, so that the answer to
    # placing is rendered from them without reading them back (None once read again)
    placed_rows: tuple[list[WithdrawalLine], list[WithdrawalFee]] | None = None

    number = models.CharField(max_length=9, unique=True)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="withdrawals"
    )
    ordering_unit = models.ForeignKey(
        "organisations.PrescribingUnit", on_delete=models.PROTECT, null=True, blank=True
    )
    ordered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True)
    ordered_by_role = models.CharField(max_length=20)
    status = models.CharField(
        max_length=12, choices=WithdrawalStatus.choices, default=WithdrawalStatus.PLACED
    )
    placed_at = models.DateTimeField()
    # delivery details, as given by whoever ordered (GEN-5)
    destination = models.CharField(max_length=20)
    speed = models.CharField(max_length=20)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    care_of = models.CharField(max_length=100, blank=True)
    door_code = models.CharField(max_length=20, blank=True)
    entry_phone = models.BooleanField(default=False)
    name_on_door = models.BooleanField(default=True)
    leave_outside = models.BooleanField(default=False)  # OUT-1, label note OUT-9
    multi_family = models.BooleanField(default=False)
    inside_region = models.BooleanField(default=True)  # the delivery address's region
    phone = models.CharField(max_length=30, blank=True)
    email = models.CharField(max_length=254, blank=True)
    contact_person = models.CharField(max_length=100, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)  # e.g. a child's relative
    notify_by = models.CharField(max_length=10, blank=True)
    pickup_point_id = models.CharField(max_length=40, blank=True)
    promised_delivery_date = models.DateField(null=True, blank=True)
    promise_note = models.CharField(max_length=200, blank=True)
    # what the orderer was told to know at ordering (OUT-6, OUT-9, PICK-4…), in Swedish
    notices = models.JSONField(default=list, blank=True)
    # at the pickup point: the code the collector gives (PICK-9) and the last day (PICK-4)
    pickup_code = models.CharField(max_length=4, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    collect_by = models.DateField(null=True, blank=True)
    return_reason = models.CharField(max_length=30, blank=True)
    # held when the register newly protects the patient (SKYDD-7): the distributor sees
    # nothing of it until customer service records how the unit wants it delivered (SKYDD-5)
    held_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)  # the decision, once made
    joint_order = models.ForeignKey(  # SAM-1: delivered together with its joint order
        JointOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="withdrawals"
    )
    # the Idempotency-Key it was placed under, per actor, and the request's fingerprint:
    # on the withdrawal's own row, so that placing writes no separate record (issue 10)
    idempotency_actor = models.CharField(max_length=80, blank=True, default="")
    idempotency_key = models.CharField(max_length=255, blank=True, default="")
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["patient", "placed_at"], name="withdrawal_patient_placed")]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_actor", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="withdrawal_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_held(self) -> bool:
        return self.held_at is not None and self.released_at is None


class WithdrawalLine(models.Model):
    """One product of a withdrawal; charged to the payer of its area for the prescribing unit."""

    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE, related_name="lines")
    prescription = models.ForeignKey(
        "prescriptions.Prescription", on_delete=models.PROTECT, related_name="withdrawal_lines"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()
    payer = models.ForeignKey("organisations.Payer", on_delete=models.PROTECT)
    reserved_quantity = models.PositiveIntegerField(default=0)  # taken from stock at placing


class WithdrawalFee(models.Model):
    """An extra cost on a withdrawal (emergency, express, return…), charged to a payer."""

    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(max_length=30)
    label = models.CharField(max_length=100, blank=True)
    amount_sek = models.DecimalField(max_digits=10, decimal_places=2)
    payer = models.ForeignKey("organisations.Payer", on_delete=models.PROTECT)
    created_at = models.DateTimeField(null=True)
    # a fee is never edited or deleted: a cancelled withdrawal (or a changed delivery that
    # no longer costs it) gets a reversal row of the negative amount naming the fee it undoes
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )


class WithdrawalEvent(models.Model):
    """The withdrawal's history, shown as its timeline: one row per transition, and one per
    change of the delivery details (kind DELIVERY_CHANGED, status unchanged)."""

    TRANSITION = ""
    DELIVERY_CHANGED = "delivery_changed"

    withdrawal = models.ForeignKey(Withdrawal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, blank=True, default=TRANSITION)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor_hsa_id = models.CharField(max_length=60)
    # who acted, as the timeline names them (role, unit, and the staff member where shown)
    actor_role = models.CharField(max_length=20, blank=True)
    actor_user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_unit = models.ForeignKey(
        "organisations.PrescribingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # the delivery fields a change touched (their names, never their values: a door code
    # must not end up in the history)
    changed_fields = models.JSONField(default=list, blank=True)


class NumberCounter(models.Model):
    """Monotonic counters, e.g. withdrawal numbers; bumped with a conditional update."""

    name = models.CharField(max_length=30, unique=True)
    value = models.BigIntegerField()


class Collection(models.Model):
    """Who collected a parcel at the pickup point and what identification was shown.

    PICK-5: the recipient shows ID. PICK-6: someone else shows both IDs.
    PICK-7: the contact person given at ordering shows their own ID. PICK-8: a child
    with valid ID collects alone (the recipient case); without one, a guardian shows
    their own ID and a population-register extract (personbevis) showing custody.
    """

    class Collector(models.TextChoices):
        RECIPIENT = "recipient", _("Mottagaren själv")
        CONTACT_PERSON = "contact_person", _("Kontaktpersonen")
        GUARDIAN = "guardian", _("Vårdnadshavare (mottagaren är under 18 år)")
        OTHER = "other", _("Annan person")

    withdrawal = models.OneToOneField(
        Withdrawal, on_delete=models.PROTECT, related_name="collection"
    )
    collected_at = models.DateTimeField()
    collector = models.CharField(max_length=20, choices=Collector.choices)
    collector_name = models.CharField(max_length=100, blank=True)
    recipient_id_shown = models.BooleanField()
    collector_id_shown = models.BooleanField()
    register_extract_shown = models.BooleanField(default=False)  # PICK-8, a guardian
    id_document = models.CharField(max_length=30)
    actor_hsa_id = models.CharField(max_length=60)
