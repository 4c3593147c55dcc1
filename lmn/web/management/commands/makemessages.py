"""Django's makemessages, also collecting the Swedish messages the services write.

Services refuse with `Problem(code, message)`, `DomainError.single(code, message)` and
`PermissionDenied(code, message)`; the API answers with these messages in Swedish, and
the portal translates them when it shows them (lmn.web.errors.shown). xgettext finds
them through these extra keywords (the message is the second argument). A message
built at run time (an f-string) cannot be looked up, so its entry is dropped again
(lmn.web.catalogue.is_fragment); such a message is shown in Swedish.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.commands import makemessages

from lmn.web.catalogue import drop_fragments

EXTRA_KEYWORDS = ["Problem:2", "single:2", "PermissionDenied:2"]


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        *(f"--keyword={keyword}" for keyword in EXTRA_KEYWORDS),
    ]

    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        for folder in settings.LOCALE_PATHS:
            for po in sorted(Path(folder).glob("*/LC_MESSAGES/django.po")):
                dropped = drop_fragments(po)
                if dropped and options.get("verbosity", 1) > 0:
                    self.stdout.write(f"{po}: {dropped} run-time built messages left out")
