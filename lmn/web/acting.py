"""Which unit and role the logged-in user acts in, resolved once per request.

The chosen membership's id lives in the session; everything else (the Actor with its
product areas) is rebuilt from the database on every request, so a withdrawn
membership takes effect at once and the session holds nothing the database doesn't.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from lmn.accounts.services import acting_actor, acting_memberships
from lmn.core.actor import Actor, Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from lmn.accounts.models import Membership, User

SESSION_KEY = "lmn_membership_id"


@dataclass(frozen=True)
class Acting:
    """The acting user's membership and the Actor it makes."""

    membership: Membership
    actor: Actor
    membership_count: int

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def unit_label(self) -> str:
        unit = self.membership.unit
        if unit is None and self.membership.payer is not None:
            return self.membership.payer.name  # a payer's contact acts for the payer
        return f"{unit.name} ({unit.customer_number})" if unit else _("Hela regionen")

    @property
    def role_label(self) -> str:
        return str(Role.LABELS.get(self.membership.role, self.membership.role))

    @property
    def may_switch(self) -> bool:
        return self.membership_count > 1


def choose(request: HttpRequest, membership: Membership) -> None:
    request.session[SESSION_KEY] = membership.pk


def resolve(request: HttpRequest, user: User) -> tuple[Acting | None, list[Membership]]:
    """The acting membership (chosen, or the only one) and all of the user's memberships."""
    memberships = acting_memberships(user)
    chosen_id = request.session.get(SESSION_KEY)
    chosen = next((m for m in memberships if m.pk == chosen_id), None)
    if chosen is None and len(memberships) == 1:
        chosen = memberships[0]
        choose(request, chosen)
    if chosen is None:
        return None, memberships
    return Acting(chosen, acting_actor(chosen), len(memberships)), memberships
