"""A minimal Django view doing the writes of an order, for comparison with the real API.

POST /bench/withdrawal {"patient_id", "prescription_id", "product_id", "payer_id", "quantity"}
inserts a Withdrawal (numbered like the product does), one WithdrawalLine and one
audit-like AuditEvent in one transaction, and answers 201 {"number"}. No authentication,
no validation, no entitlement check, no hash chain: what is left is Django, the
database round trips and the commit.

GET /bench/patient?identifier=YYYYMMDD-NNNN does what a patient lookup cannot do without:
one indexed read of the register by identifier and one audit-like AuditEvent insert,
answering 200 with the person's name (404 if not found).

Serve with DJANGO_SETTINGS_MODULE=bench.minimal_settings and `bench.minimal_app:application`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.wsgi import get_wsgi_application
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt


def _next_number() -> str:
    from lmn.withdrawals.models import NumberCounter

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('lmn_withdrawal_number')")
            value = cursor.fetchone()[0]
    else:
        NumberCounter.objects.filter(name="withdrawal").update(value=F("value") + 1)
        value = NumberCounter.objects.get(name="withdrawal").value
    return f"U{value:08d}"


@csrf_exempt
def place(request: HttpRequest) -> JsonResponse:
    from lmn.audit.models import AuditEvent
    from lmn.withdrawals.models import Withdrawal, WithdrawalLine

    body: dict[str, Any] = json.loads(request.body)
    now = timezone.now()
    with transaction.atomic():
        withdrawal = Withdrawal.objects.create(
            number=_next_number(),
            patient_id=body["patient_id"],
            ordered_by_role="bench",
            placed_at=now,
            destination="door",
            speed="standard",
            street="Benchgatan 1",
            postcode="41301",
            city="Göteborg",
        )
        WithdrawalLine.objects.create(
            withdrawal=withdrawal,
            prescription_id=body["prescription_id"],
            product_id=body["product_id"],
            quantity=body["quantity"],
            payer_id=body["payer_id"],
        )
        AuditEvent.objects.create(
            at=now,
            action="bench.withdrawal.placed",
            actor_hsa_id="bench",
            actor_role="bench",
            patient_id=body["patient_id"],
            object_type="withdrawals.withdrawal",
            object_id=str(withdrawal.pk),
            prev_hash="bench",
            hash="bench",
        )
    return JsonResponse({"number": withdrawal.number}, status=201)


def lookup(request: HttpRequest) -> JsonResponse:
    from lmn.audit.models import AuditEvent
    from lmn.patients.models import RegisterRecord

    identifier = request.GET.get("identifier", "").replace("-", "")
    record = RegisterRecord.objects.filter(identifier=identifier).first()
    if record is None:
        return JsonResponse({"error": "not_found"}, status=404)
    AuditEvent.objects.create(
        at=timezone.now(),
        action="bench.patient.looked_up",
        actor_hsa_id="bench",
        actor_role="bench",
        object_type="patients.registerrecord",
        object_id=str(record.pk),
        prev_hash="bench",
        hash="bench",
    )
    return JsonResponse({"first_name": record.first_name, "last_name": record.last_name})


urlpatterns = [path("bench/withdrawal", place), path("bench/patient", lookup)]

application = get_wsgi_application()
