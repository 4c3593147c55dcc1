"""What was sent about an assortment change, so that its follow-up can be tracked.

The figures of the dashboards and statistics have no tables: they are queries over the
withdrawals (lmn.reporting.queries). An assortment change's list, though, is a fact of
its own: which prescriptions a unit was told to change, and when.
"""

from __future__ import annotations

from django.db import models


class ImpactNotice(models.Model):
    """One prescribing unit told that an article ends or is replaced, with its list."""

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    # the change as it stood when sent (the catalogue may change again later)
    replacement = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_date = models.DateField(null=True, blank=True)
    unit = models.ForeignKey(
        "organisations.PrescribingUnit", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recipients = models.PositiveIntegerField(default=0)  # verified prescriber addresses

    class Meta:
        indexes = [models.Index(fields=["product", "unit"], name="impactnotice_product_unit")]


class ImpactEntry(models.Model):
    """A prescription on a unit's list: changed once it no longer prescribes the article."""

    notice = models.ForeignKey(ImpactNotice, on_delete=models.CASCADE, related_name="entries")
    prescription = models.ForeignKey(
        "prescriptions.Prescription", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "prescription"], name="impactentry_once_per_notice"
            )
        ]
