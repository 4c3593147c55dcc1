"""What every e-service page shows in its header: who acts, for whom, and one notice."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lmn.core.actor import Role

from .acting import acting_role_label


def eservice(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "eservice", None)
    if actor is None:
        return {}
    return {
        "es_actor": actor,
        "es_for": actor.acting_for,
        "es_role_label": acting_role_label(actor),
        "es_is_patient": actor.role == Role.PATIENT,
        "es_notice": request.session.pop("eservice_notice", ""),
    }
