"""Who may order for a ward, and what a joint order never carries: shared by joint
orders (joint.py) and the ward overview (ward_overview.py)."""

from __future__ import annotations

from typing import NoReturn

from lmn.audit.services import refuse
from lmn.catalog.models import ProductArea
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.organisations.models import PrescribingUnit

# SAM-4 "ej Nutrition": see joint.py's docstring for why tube feeding is excluded too
JOINT_EXCLUDED_AREAS = frozenset({ProductArea.NUTRITION, ProductArea.TUBE_FEEDING})


def _refuse(
    error: DomainError | PermissionDenied | NotFound,
    *,
    actor: Actor,
    action: str,
    ward: PrescribingUnit | None,
    data: dict[str, object] | None = None,
) -> NoReturn:
    ward_data = {"ward": getattr(ward, "customer_number", ""), **(data or {})}
    refuse(action, error, actor=actor, obj=ward, data=ward_data)


def _require_ward(ward: PrescribingUnit, *, actor: Actor, action: str, joint: bool) -> None:
    """The actor orders on the ward they act in, with the right permissions."""
    if not actor.may_order:
        _refuse(
            PermissionDenied("ACC-2", "Din roll får inte göra uttag."),
            actor=actor,
            action=action,
            ward=ward,
        )
    if joint and not actor.joint_ordering:
        _refuse(
            PermissionDenied(
                "SAM-4",
                "Sambeställning kräver behörigheten ”Sambeställning – Särskilt boende”.",
            ),
            actor=actor,
            action=action,
            ward=ward,
        )
    if actor.unit is None or actor.unit.pk != ward.pk:
        # a ward the actor does not act in (or a forged one) answers like a missing one
        _refuse(NotFound(), actor=actor, action=action, ward=ward)
