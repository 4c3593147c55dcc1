"""Django's makemessages, also collecting the Swedish messages the services write.

Services refuse with `Problem(code, message)`, `DomainError.single(code, message)` and
`PermissionDenied(code, message)`; the API answers with these messages in Swedish, and
the portal translates them when it shows them (lmn.web.errors.shown). xgettext finds
them through these extra keywords (the message is the second argument).
"""

from __future__ import annotations

from django.core.management.commands import makemessages

EXTRA_KEYWORDS = ["Problem:2", "single:2", "PermissionDenied:2"]


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        *(f"--keyword={keyword}" for keyword in EXTRA_KEYWORDS),
    ]
