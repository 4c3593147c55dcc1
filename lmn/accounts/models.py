from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from lmn.core.actor import Role
from lmn.core.states import ApplicationStatus


class User(AbstractUser):
    """A staff user. Contact details are the prescriber's own (CON-1)."""

    hsa_id = models.CharField("HSA-id", max_length=40, unique=True, null=True, blank=True)
    phone = models.CharField("direktnummer", max_length=30, blank=True)
    phone_is_switchboard = models.BooleanField(default=False)
    # CON-3: when, and which address, the user last verified by the link sent to it
    email_verified_at = models.DateTimeField(null=True, blank=True)
    email_verified_address = models.EmailField(blank=True)
    # a login of the training world (seed_demo): refused whenever training is off
    training = models.BooleanField("träningsinloggning", default=False)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session check, bound to the mode the session was made in.

        A session made while training (LMN_TRAINING=1) no longer verifies once the
        system runs in production, and the reverse, for the portal and the admin alike.
        """
        mode = "training" if settings.TRAINING_MODE else "production"
        key_salt = f"lmn.accounts.User.get_session_auth_hash.{mode}"
        return salted_hmac(key_salt, self.password, secret=secret, algorithm="sha256").hexdigest()


ROLE_CHOICES = [(code, label) for code, label in Role.LABELS.items() if code != Role.SYSTEM]


class Membership(models.Model):
    """A role in a unit with product-area permissions (ACC-1..ACC-3).

    Organisation-wide roles (customer service, administration, auditor) have no unit.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        "organisations.PrescribingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    areas = models.ManyToManyField("catalog.ProductArea", blank=True)
    joint_ordering = models.BooleanField("Sambeställning – Särskilt boende", default=False)
    active = models.BooleanField(default=True)
    # the payer whose contact this is (Role.PAYER): what the payer pays is all it sees
    payer = models.ForeignKey(
        "organisations.Payer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="membership_unique_role_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.unit}"


class ApiToken(models.Model):
    """A bearer token for the REST API, bound to one membership. Only the hash is stored."""

    key_hash = models.CharField(max_length=64, unique=True)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # issued while training: valid only as long as the system still runs in training
    training = models.BooleanField(default=False)


class AccessApplication(models.Model):
    """A head of unit's application for a staff member's access (ACC-1, ACC-5).

    GRANT gives a role with product areas in each unit applied for, CHANGE replaces the
    access the person has there, END ends it. Approval by LMN administration takes
    effect at once.
    """

    class Kind(models.TextChoices):
        GRANT = "grant", _("Ny behörighet")
        CHANGE = "change", _("Ändrad behörighet")
        END = "end", _("Avslutad behörighet")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # the person the access is for: an existing user, or the one made on approval
    subject = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="access_applications"
    )
    subject_hsa_id = models.CharField("HSA-id", max_length=40)
    subject_first_name = models.CharField(max_length=150, blank=True)
    subject_last_name = models.CharField(max_length=150, blank=True)
    subject_email = models.EmailField(blank=True)
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, blank=True)
    units = models.ManyToManyField("organisations.PrescribingUnit", related_name="+")
    areas = models.ManyToManyField("catalog.ProductArea", blank=True, related_name="+")
    joint_ordering = models.BooleanField("Sambeställning – Särskilt boende", default=False)
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            # administration's queue: the submitted applications, oldest first
            models.Index(fields=["status", "submitted_at"], name="accessapp_status_submitted"),
        ]


class InformationMailing(models.Model):
    """An information e-mail to prescribers (CON-4); one outbox row per recipient."""

    subject = models.CharField(max_length=200)
    body = models.TextField()
    area_codes = models.JSONField(default=list, blank=True)  # empty: every area
    unit_numbers = models.JSONField(default=list, blank=True)  # empty: every unit
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)


class LoginAttemptWindow(models.Model):
    """How many password logins one client address (or everyone: "*") tried in one window.

    Counted before the password hash runs, shared by every server process through the
    database (see accounts.throttle); rows of past windows are deleted as new ones open.
    """

    bucket = models.CharField(max_length=80)
    started = models.BigIntegerField()  # the window's start, in seconds since the epoch
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "started"], name="loginattempt_one_per_window"
            )
        ]
