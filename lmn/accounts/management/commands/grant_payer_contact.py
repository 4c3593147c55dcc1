"""Name a payer's contact: `manage.py grant_payer_contact <username> <payer id> --by <admin>`.

Until the portal has a page for it, LMN administration names the payer's contact here;
the grant is audited as the administrator named by --by (accounts.payers).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lmn.core.actor import Role
from lmn.organisations.models import Payer

from ...models import Membership, User
from ...payers import end_payer_contact, grant_payer_contact
from ...services import actor_for


class Command(BaseCommand):
    help = "Gör en användare till kontaktperson för en betalare (eller avsluta med --end)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("payer_id", type=int, nargs="?")
        parser.add_argument("--by", required=True, help="LMN-administratörens användarnamn")
        parser.add_argument("--end", action="store_true", help="avsluta rollen")

    def handle(self, *args: Any, **options: Any) -> None:
        admin = Membership.objects.filter(
            user__username=options["by"], role=Role.ADMIN, active=True
        ).first()
        if admin is None:
            raise CommandError("--by ska vara en aktiv LMN-administratör.")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("Ingen sådan användare.")
        actor = actor_for(admin)
        if options["end"]:
            end_payer_contact(user, actor=actor)
            self.stdout.write("Rollen är avslutad.")
            return
        payer = Payer.objects.filter(pk=options["payer_id"]).first()
        if payer is None:
            raise CommandError("Ingen sådan betalare.")
        grant_payer_contact(user, payer, actor=actor)
        self.stdout.write(f"{user.username} är kontaktperson för {payer.name}.")
