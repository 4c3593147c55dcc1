"""The impact of an assortment change: the active prescriptions of an article that ends
or is replaced, per prescribing unit, with the suggested replacement, and which of
them have been changed since the unit was told."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from lmn.audit.services import Shown, record_many
from lmn.catalog.models import Product
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import NotFound
from lmn.organisations.models import PrescribingUnit
from lmn.prescriptions.models import Prescription
from lmn.prescriptions.states import PrescriptionStatus

from ..models import ImpactEntry, ImpactNotice


def changed_articles() -> QuerySet[Product]:
    """Articles with an end date or a replacement, soonest end first."""
    return (
        Product.objects.filter(Q(end_date__isnull=False) | Q(replaced_by__isnull=False))
        .select_related("replaced_by", "area")
        .order_by("end_date", "article_number")
    )


def affected(product: Product) -> QuerySet[Prescription]:
    """The prescriptions still to change: active, still valid, on the article."""
    return Prescription.objects.filter(
        product=product, status=PrescriptionStatus.ACTIVE, valid_until__gte=clock.today()
    )


def is_changed(prescription: Prescription, product: Product) -> bool:
    """No longer prescribes the article: ended, expired, or on another product."""
    return (
        prescription.status != PrescriptionStatus.ACTIVE
        or prescription.product_id != product.pk
        or prescription.valid_until < clock.today()
    )


@dataclass
class UnitImpact:
    unit: PrescribingUnit
    to_change: int = 0  # still active on the article
    notified: int = 0  # on the lists sent to the unit
    changed: int = 0  # of those, changed since
    last_sent: Any = None  # when the unit was last told
    recipients: int = 0  # how many verified addresses the last list went to


@dataclass
class ArticleImpact:
    product: Product
    units: list[UnitImpact] = field(default_factory=list)

    @property
    def to_change(self) -> int:
        return sum(u.to_change for u in self.units)


def impact_of(product_id: int) -> ArticleImpact:
    """Per unit: how many prescriptions still to change, were listed, have changed.

    Counts only, no patient: this is what LMN administration sees.
    """
    product = changed_articles().filter(pk=product_id).first()
    if product is None:
        raise NotFound
    units: dict[int, UnitImpact] = {}
    counts = affected(product).values("unit").annotate(n=Count("pk")).order_by()
    unit_by_pk = PrescribingUnit.objects.in_bulk(
        {c["unit"] for c in counts}
        | set(ImpactNotice.objects.filter(product=product).values_list("unit", flat=True))
    )
    for c in counts:
        units[c["unit"]] = UnitImpact(unit_by_pk[c["unit"]], to_change=c["n"])
    listed: dict[int, set[int]] = defaultdict(set)
    for notice in ImpactNotice.objects.filter(product=product).order_by("sent_at"):
        impact = units.setdefault(notice.unit_id, UnitImpact(unit_by_pk[notice.unit_id]))
        impact.last_sent, impact.recipients = notice.sent_at, notice.recipients
    entries = ImpactEntry.objects.filter(notice__product=product).select_related(
        "prescription", "notice"
    )
    for entry in entries:
        if entry.prescription_id in listed[entry.notice.unit_id]:
            continue
        listed[entry.notice.unit_id].add(entry.prescription_id)
        units[entry.notice.unit_id].notified += 1
        units[entry.notice.unit_id].changed += is_changed(entry.prescription, product)
    ordered = sorted(units.values(), key=lambda u: (-u.to_change, u.unit.customer_number))
    return ArticleImpact(product, ordered)


@dataclass(frozen=True)
class ListedPrescription:
    prescription: Prescription
    changed: bool


@dataclass(frozen=True)
class UnitArticle:
    product: Product
    prescriptions: list[ListedPrescription]


def impact_for_unit(actor: Actor) -> list[UnitArticle]:
    """The unit's own list, where the e-mail's link leads: per changed article, its
    prescriptions to change and those listed and since changed, with the patient.

    A prescriber sees the unit's own patients (a protected one belongs to the unit);
    every patient shown is audited.
    """
    if actor.unit is None:
        return []
    out: list[UnitArticle] = []
    shown: list[Shown] = []
    for product in changed_articles():
        listed = set(
            ImpactEntry.objects.filter(
                notice__product=product, notice__unit=actor.unit
            ).values_list("prescription_id", flat=True)
        )
        rows = (
            Prescription.objects.filter(unit=actor.unit, product=product)
            .filter(Q(pk__in=affected(product).values("pk")) | Q(pk__in=listed))
            # SKYDD-1, SKYDD-7: a protected identity only inside its own unit
            .exclude(Q(patient__protected=True) & ~Q(patient__protected_unit=actor.unit))
            .select_related("patient")
            .order_by("patient__last_name", "pk")
        )
        found = [ListedPrescription(rx, is_changed(rx, product)) for rx in rows]
        if found:
            out.append(UnitArticle(product, found))
            shown += [Shown(patient=r.prescription.patient, obj=r.prescription) for r in found]
    if shown:
        record_many("reporting.impact.read", shown, actor=actor)
    return out
