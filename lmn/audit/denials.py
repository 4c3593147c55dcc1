"""The one enforcement of a route's policy, shared by the adapters: a refusal is audited.

The policies themselves are declared beside the routes (lmn/web/urls.py,
lmn/api/routes/*.py); the portal enforces them in lmn.web.middleware, the API in
lmn.api.auth, both through `authorize`.
"""

from __future__ import annotations

from lmn.core.actor import Actor
from lmn.core.authorization import RoutePolicy, refusal

from .services import record


def authorize(
    policy: RoutePolicy | None, *, route: str, method: str, actor: Actor, channel: str
) -> None:
    """Refuse (403, audited) a role the route's policy does not allow."""
    refused = refusal(policy, actor.role, method)
    if refused is None:
        return
    record(
        "authz.denied",
        actor=actor,
        outcome="denied",
        channel=channel,
        data={"route": route, "method": method},
    )
    raise refused
