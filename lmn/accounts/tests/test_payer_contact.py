"""The payer's contact: named and ended by LMN administration only, audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from lmn.accounts.models import Membership
from lmn.accounts.payers import end_payer_contact, grant_payer_contact
from lmn.accounts.services import actor_for
from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.core.errors import PermissionDenied
from lmn.testing import factories as f
from lmn.testing.types import World


@pytest.mark.rule("UNIT-1")
def test_administration_names_and_ends_the_payers_contact(world: World) -> None:
    payer = world.unit.payers.get(product_area__code="diabetes").payer
    admin = f.make_admin("admin-p")
    contact = f.make_user("kommunkontakt", role="")

    membership = grant_payer_contact(contact, payer, actor=f.actor_of(admin))

    actor = actor_for(membership)
    assert (actor.role, actor.payer, actor.unit) == (Role.PAYER, payer, None)
    assert AuditEvent.objects.filter(action="accounts.payer_contact.granted").exists()
    end_payer_contact(contact, actor=f.actor_of(admin))
    assert not Membership.objects.filter(user=contact, active=True).exists()


def test_only_administration_names_a_payers_contact(world: World) -> None:
    payer = world.unit.payers.get(product_area__code="diabetes").payer
    with pytest.raises(PermissionDenied):
        grant_payer_contact(world.outsider, payer, actor=f.actor_of(f.make_head(world.unit)))
    assert not Membership.objects.filter(role=Role.PAYER).exists()


def test_the_command_names_the_contact(world: World) -> None:
    payer = world.unit.payers.get(product_area__code="diabetes").payer
    f.make_admin("admin-c")
    f.make_user("kontakt-c", role="")
    out = io.StringIO()

    call_command("grant_payer_contact", "kontakt-c", str(payer.pk), by="admin-c", stdout=out)

    assert Membership.objects.get(user__username="kontakt-c").payer == payer
