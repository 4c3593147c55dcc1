"""Favourite products with their usual consumption, to prescribe in two clicks.

A prescriber keeps their own; a unit's are shared by its prescribers. Listed with the
recommended (REK-list) products first. A template whose product has left the assortment
stays listed as unavailable; prescribing from it is refused like any inactive product.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lmn.audit.services import record
from lmn.catalog.models import Product
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound, PermissionDenied, Problem

from .models import PrescriptionTemplate
from .services import consumption_problems


@dataclass(frozen=True)
class TemplateDraft:
    product: Product
    consumption_amount: int
    consumption_period: str
    instructions: str = ""
    for_unit: bool = False  # the unit's shared template rather than the prescriber's own


def _require_prescriber(actor: Actor) -> None:
    if not actor.may_prescribe or actor.unit is None:
        raise PermissionDenied("ACC-2", _("Din roll får inte förskriva."))


def template_problems(draft: TemplateDraft, *, actor: Actor) -> list[Problem]:
    problems = consumption_problems(draft.consumption_amount, draft.consumption_period)
    if not draft.product.active or not draft.product.procured:
        problems.append(
            Problem(
                "product_inactive",
                _("Produkten finns inte i sortimentet och kan inte sparas som favorit."),
                "article_number",
            )
        )
    if not actor.may_prescribe_in(draft.product.area.code):
        problems.append(
            Problem(
                "ACC-3",
                _("Du saknar behörighet att förskriva inom %(area)s.")
                % {"area": draft.product.area.name},
                "article_number",
            )
        )
    if len(draft.instructions.strip()) > 500:
        problems.append(Problem("too_long", _("Högst 500 tecken är tillåtna."), "instructions"))
    return problems


def add_template(draft: TemplateDraft, *, actor: Actor) -> PrescriptionTemplate:
    _require_prescriber(actor)
    problems = template_problems(draft, actor=actor)
    if problems:
        raise DomainError(*problems)
    try:
        with transaction.atomic():
            template = PrescriptionTemplate.objects.create(
                user=None if draft.for_unit else actor.user,
                unit=actor.unit if draft.for_unit else None,
                product=draft.product,
                consumption_amount=draft.consumption_amount,
                consumption_period=draft.consumption_period,
                instructions=draft.instructions.strip(),
                created_at=clock.now(),
            )
            record(
                "prescriptions.template.added",
                actor=actor,
                obj=template,
                data={"article_number": draft.product.article_number, "unit": draft.for_unit},
            )
    except IntegrityError:
        raise DomainError.single(
            "template_exists", _("Produkten finns redan bland favoriterna."), "article_number"
        ) from None
    return template


def remove_template(template: PrescriptionTemplate, *, actor: Actor) -> None:
    _require_prescriber(actor)
    with transaction.atomic():
        record(
            "prescriptions.template.removed",
            actor=actor,
            obj=template,
            data={"article_number": template.product.article_number},
        )
        template.delete()


def templates_for(actor: Actor) -> QuerySet[PrescriptionTemplate]:
    """The actor's own favourites and their unit's, REK-list products first."""
    if not actor.may_prescribe or actor.unit is None:
        return PrescriptionTemplate.objects.none()
    return (
        PrescriptionTemplate.objects.filter(Q(user=actor.user) | Q(unit=actor.unit))
        .select_related("product__area")
        .order_by("-product__recommended", "product__area__sort_order", "product__name", "pk")
    )


def template_of(actor: Actor, template_id: int) -> PrescriptionTemplate:
    found = templates_for(actor).filter(pk=template_id).first()
    if found is None:
        raise NotFound()
    return found
