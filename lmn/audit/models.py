from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Bulk changes bypass the model's save() and delete(): refuse them here too.

    On PostgreSQL database triggers refuse them as well (migration 0004), so that a
    raw SQL statement from the application cannot quietly change the trail either.
    """

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("Audit rows are append-only: update() is refused")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit rows are append-only: delete() is refused")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise RuntimeError("Audit rows are append-only: bulk_update() is refused")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Audit rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Audit rows are append-only")


class AuditEvent(AppendOnlyModel):
    """One append-only audit event. Rows are never updated or deleted.

    Each row's `hash` covers its content and the hash of the previous row of its chain
    (one chain per patient, one per actor otherwise), so that a removed or altered row
    breaks the chain (`lmn.audit.services.verify_chain`).
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("Utfört")
        DENIED = "denied", _("Nekat")
        REFUSED = "refused", _("Avvisat")
        NOT_FOUND = "not_found", _("Hittades inte")

    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=80)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.OK)
    actor_hsa_id = models.CharField(max_length=60)
    actor_role = models.CharField(max_length=20)
    unit_number = models.CharField(max_length=6, blank=True)
    # a plain integer, not a foreign key: the trail must outlive any record it names
    patient_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=30, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # which chain the event extends: "patient:<id>", or "actor:<hsa-id>" for the rest
    chain = models.CharField(max_length=80, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        indexes = [
            # "who has looked at this patient", the question an auditor asks most
            models.Index(fields=["patient_id", "at"], name="audit_patient_at"),
            # the chain's last event, read on every append
            models.Index(fields=["chain", "-id"], name="audit_chain_last"),
        ]


class AuditSeal(AppendOnlyModel):
    """A sealed manifest of the whole trail at one moment (`lmn.audit.integrity`).

    Its HMAC covers the number of chains, the total number of events and the seals of
    its per-chain checkpoints, with a key kept outside the database: a chain deleted
    whole, or a checkpoint row removed or forged, no longer matches it.
    """

    taken_at = models.DateTimeField()
    max_id = models.BigIntegerField()  # the last event id the manifest covers
    chains = models.IntegerField()
    total = models.BigIntegerField()
    seal = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]


class AuditCheckpoint(AppendOnlyModel):
    """One chain's head at a sealed moment: its last event, that event's hash and count."""

    manifest = models.ForeignKey(AuditSeal, on_delete=models.PROTECT, related_name="checkpoints")
    chain = models.CharField(max_length=80)
    last_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField()
    seal = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]


class AuditVerification(AppendOnlyModel):
    """The result of one verification of the trail; the latest failed one raises the alarm."""

    at = models.DateTimeField(db_index=True)
    ok = models.BooleanField()
    events = models.BigIntegerField(default=0)
    # the problems found, one plain line each (for LMN administration and the logs)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
