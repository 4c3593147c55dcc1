from __future__ import annotations

from typing import Any

from django.db import models


class AuditEvent(models.Model):
    """One append-only audit event. Rows are never updated or deleted.

    Each row's `hash` covers its content and the hash of the previous row of its chain
    (one chain per patient, one per actor otherwise), so that a removed or altered row
    breaks the chain (`lmn.audit.services.verify_chain`).
    """

    class Outcome(models.TextChoices):
        OK = "ok", "Utfört"
        DENIED = "denied", "Nekat"
        REFUSED = "refused", "Avvisat"
        NOT_FOUND = "not_found", "Hittades inte"

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Audit events are append-only")
