from __future__ import annotations

from django.http import HttpRequest

from lmn.core.actor import Role

from .models import AuditVerification


def audit_alarm(request: HttpRequest) -> dict[str, object]:
    """For LMN administration: whether the latest verification found the trail broken."""
    acting = getattr(request, "acting", None)
    actor = getattr(acting, "actor", None)
    if getattr(actor, "role", None) != Role.ADMIN:
        return {}
    latest = AuditVerification.objects.order_by("-id").only("ok", "at").first()
    if latest is None or latest.ok:
        return {}
    return {"audit_alarm": latest}
