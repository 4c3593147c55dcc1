"""The payer's contact (Role.PAYER): LMN administration grants and ends it.

A payer (a municipality, a private provider…) is no prescribing unit, so its contact is
not applied for by a head of unit (ACC-1); LMN administration, which keeps the payers
(UNIT-1, UNIT-3), names the contact. The role sees what the payer pays for, nothing else.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lmn.audit.services import record, refuse
from lmn.core.actor import Actor, Role
from lmn.core.errors import PermissionDenied
from lmn.organisations.models import Payer

from .models import ApiToken, Membership, User


def _require_admin(action: str, actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        refuse(
            action,
            PermissionDenied(
                "ACC-1", _("Bara LMN-administrationen utser betalarens kontaktperson.")
            ),
            actor=actor,
        )


def grant_payer_contact(user: User, payer: Payer, *, actor: Actor) -> Membership:
    """Make `user` the contact of `payer` (one payer per user); audited."""
    action = "accounts.payer_contact.granted"
    _require_admin(action, actor)
    with transaction.atomic():
        membership, _ = Membership.objects.update_or_create(
            user=user, unit=None, role=Role.PAYER, defaults={"payer": payer, "active": True}
        )
        record(action, actor=actor, obj=membership, data={"payer": payer.pk})
    return membership


def end_payer_contact(user: User, *, actor: Actor) -> None:
    """End the user's payer contact role; its API tokens stop working at once."""
    action = "accounts.payer_contact.ended"
    _require_admin(action, actor)
    with transaction.atomic():
        ending = Membership.objects.filter(user=user, role=Role.PAYER, active=True)
        ApiToken.objects.filter(membership__in=ending).delete()
        for membership in ending:
            record(action, actor=actor, obj=membership, data={"payer": membership.payer_id})
        ending.update(active=False)
