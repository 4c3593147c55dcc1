"""Journal systems are told when a withdrawal changes state: a registered webhook gets a
signed POST through the notifications outbox, retried until it answers 2xx (at least
once, the same Idempotency-Key each time), naming the SupplyRequests, not the patient."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from lmn.core.actor import Role
from lmn.delivery.details import DeliveryRequest
from lmn.notifications.gateways import webhook_signature
from lmn.notifications.models import Notification, Webhook
from lmn.notifications.services import send_pending
from lmn.testing import factories as f
from lmn.withdrawals.services import LineDraft, WithdrawalDraft, place_withdrawal, transition


class Receiver:
    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.status = 200


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_port}/lmn-hook"
    server.shutdown()
    server.server_close()


def test_a_state_change_reaches_the_journal_system_signed_and_retried(
    world: Any,
    receiver: tuple[Receiver, str],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.LMN_NOTIFICATION_GATEWAYS = {
        **settings.LMN_NOTIFICATION_GATEWAYS,
        "webhook": "webhook",
    }
    state, url = receiver
    Webhook.objects.create(unit_number=world.unit.customer_number, url=url, secret="s3cret")
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient, lines=[LineDraft(rx.pk, 5)], delivery=DeliveryRequest()
        ),
        actor=world.actor(world.prescriber),
    )
    depot = f.actor_of(f.make_user("depot-w", role=Role.DISTRIBUTOR, unit=None))

    state.status = 500  # the journal system is down: the change itself still goes through
    with django_capture_on_commit_callbacks(execute=True):
        transition(w, "picked", actor=depot)
    notification = Notification.objects.get(channel="webhook")
    assert notification.sent_at is None and notification.attempts == 1

    state.status = 204
    assert send_pending() == 1  # the scheduled job retries
    headers, body = state.calls[-1]
    assert len(state.calls) == 2
    assert state.calls[0][0]["idempotency-key"] == headers["idempotency-key"]
    expected = webhook_signature("s3cret", headers["x-lmn-timestamp"], body)
    assert headers["x-lmn-signature"] == expected
    payload = json.loads(body)
    assert payload["withdrawal"] == w.number and payload["status"] == "picked"
    assert payload["focus"] == [f"SupplyRequest/{w.number}-1"]
    assert world.patient.identifier.encode() not in body
    assert world.patient.last_name.encode() not in body
    assert send_pending() == 0  # sent: not again


def test_units_without_a_webhook_are_not_told(world: Any) -> None:
    rx = f.make_prescription(
        patient=world.patient,
        product=world.diabetes_product,
        prescriber=world.prescriber,
        unit=world.unit,
    )
    Webhook.objects.create(
        unit_number=world.other_unit.customer_number, url="http://127.0.0.1:9/x", secret="s"
    )
    w, _ = place_withdrawal(
        WithdrawalDraft(
            patient=world.patient, lines=[LineDraft(rx.pk, 5)], delivery=DeliveryRequest()
        ),
        actor=world.actor(world.prescriber),
    )
    transition(
        w, "picked", actor=f.actor_of(f.make_user("depot-x", role=Role.DISTRIBUTOR, unit=None))
    )
    assert not Notification.objects.filter(channel="webhook").exists()
