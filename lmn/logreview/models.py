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
