from __future__ import annotations

from django.db import models


class Installation(models.Model):
    """Which installation this database belongs to: one row, made at the first migration.

    A backup carries it, so that a backup of another installation (another region's,
    the training copy) is not restored over this one by mistake.
    """

    key = models.CharField(max_length=36, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
