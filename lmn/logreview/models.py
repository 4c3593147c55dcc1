from __future__ import annotations

from django.db import models


class ReviewMark(models.Model):
    """The auditor's note that one audit event has been reviewed (PDL-3).

    The event is named by id, not a foreign key: the trail outlives what refers to it,
    and a review never changes the trail. Each mark is itself audited.
    """

    event_id = models.BigIntegerField(db_index=True)
    reviewed_by = models.CharField(max_length=60)  # the auditor's HSA-id
    reviewed_at = models.DateTimeField()
    comment = models.CharField(max_length=1000)


class RetentionPolicy(models.Model):
    """How long personal data are kept, as data the administration can change (one row per
    region). The retention job reads it; nothing a rule still needs is touched."""

    region = models.CharField(max_length=10, unique=True, default="VG")
    # audit events are kept at least this long (PDL: the log follow-up and the patient's
    # extract need them); the job reports what is older, it does not break the chain
    audit_event_years = models.PositiveSmallIntegerField(default=10)
    # a patient with no prescription valid and no withdrawal for this long is pseudonymised
    inactive_patient_years = models.PositiveSmallIntegerField(default=5)
