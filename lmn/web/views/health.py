"""/healthz: for a load balancer and monitoring: is the database reachable, and how long
has the oldest task waited in the queue (a stuck or missing worker shows as a growing age).

Open without login; answers counts and seconds only, nothing personal.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, When
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult, get_date_max

from ..middleware import public


def _queue() -> dict[str, int | None]:
    """Tasks ready to run now, and the seconds the oldest of them has waited."""
    # a delayed task (a retry) waits from its run_after, any other from its enqueueing
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    ready = DBTaskResult.objects.ready().aggregate(n=Count("id"), oldest=Min(waiting_since))
    oldest = ready["oldest"]
    age = None if oldest is None else max(0, int((timezone.now() - oldest).total_seconds()))
    return {"pending_tasks": ready["n"], "oldest_pending_task_seconds": age}


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        queue = _queue()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", **queue})
