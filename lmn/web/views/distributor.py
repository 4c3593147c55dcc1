"""The distributor's work queue: move shipments along, register collections, print labels.

Only the unit-less role "distributor" may use these pages; the shipping services check
the role again. What the distributor sees is `withdrawals_to_ship(actor)`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lmn.audit.services import record
from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError
from lmn.delivery.models import PickupPoint
from lmn.withdrawals.labels import parcel_recipient, render_label
from lmn.withdrawals.models import Collection, Withdrawal
from lmn.withdrawals.queries import get_withdrawal, withdrawals_to_ship
from lmn.withdrawals.services import is_child
from lmn.withdrawals.shipment import QueueGroup, queue_groups
from lmn.withdrawals.shipping import (
    OPEN_SHIPMENT_STATUSES,
    CollectionDraft,
    register_collection,
    report_shipment_event,
)
from lmn.withdrawals.states import WithdrawalStatus

from ..errors import apply_problems, shown, summary
from ..forms.distributor import CollectionForm, ShipmentEventForm
from .common import actor_of, page_title

PER_STATUS = 200


def _shipment(actor: Actor, number: str) -> Withdrawal:
    """A withdrawal the distributor may see, else 404 (out of scope answers like missing)."""
    # the step's service audits what is done; a miss is audited here
    return get_withdrawal(number, actor=actor, channel="web", audit_read=False)


def _queue(actor: Actor) -> list[tuple[str, str, int, list[QueueGroup]]]:
    """Per status, the parcels grouped: a joint order's together under its designated
    place and daytime window (SAM-1, SAM-3), each single parcel on its own."""
    visible = (
        withdrawals_to_ship(actor)
        .select_related("ordering_unit", "joint_order__ward")
        .order_by("promised_delivery_date", "placed_at", "pk")
    )
    queue: list[tuple[str, str, int, list[QueueGroup]]] = []
    for status in OPEN_SHIPMENT_STATUSES:
        rows = list(visible.filter(status=status)[:PER_STATUS])
        queue.append((status, str(WithdrawalStatus(status).label), len(rows), queue_groups(rows)))
    return queue


def _render_queue(
    request: HttpRequest, actor: Actor, form: ShipmentEventForm | None = None, status: int = 200
) -> HttpResponse:
    points = {p.code: p for p in PickupPoint.objects.all()}
    return render(
        request,
        "web/distributor.html",
        {
            "groups": _queue(actor),
            "points": points,
            "reasons": ShipmentEventForm.base_fields["reason"].choices,  # type: ignore[attr-defined]
            "error_items": summary(form) if form is not None else [],
            "title": page_title(_("Distributör: arbetskö"), *([form] if form else [])),
        },
        status=status,
    )


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return _render_queue(request, actor)


@require_POST
def shipment_event(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_of(request)
    withdrawal = _shipment(actor, number)
    form = ShipmentEventForm(request.POST)
    if form.is_valid():
        try:
            updated = report_shipment_event(
                withdrawal,
                form.cleaned_data["event"],
                reason=form.cleaned_data["reason"],
                actor=actor,
            )
        except DomainError as error:
            # every problem names the withdrawal: the queue has many rows
            for problem in error.problems:
                form.add_error(
                    "reason" if problem.field == "reason" else None,
                    f"{withdrawal.number}: {shown(problem.message)}",
                )
        else:
            messages.info(request, f"{updated.number}: {updated.get_status_display()}.")
            return redirect("web:distributor")
    return _render_queue(request, actor, form)


@require_http_methods(["GET", "POST"])
def collection(request: HttpRequest, number: str) -> HttpResponse:
    """Register who collected a parcel at the pickup point and the ID shown (PICK-5..PICK-9)."""
    actor = actor_of(request)
    withdrawal = _shipment(actor, number)
    # the name on the parcel is checked against the ID shown (PICK-5): a read of patient data
    record(
        "withdrawals.withdrawal.read",
        actor=actor,
        patient=withdrawal.patient,
        obj=withdrawal,
        channel="web",
    )
    form = CollectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            register_collection(
                withdrawal,
                CollectionDraft(
                    code=c["code"],
                    collector=c["collector"],
                    recipient_id_shown=c["recipient_id_shown"],
                    collector_id_shown=c["collector_id_shown"],
                    id_document=c["id_document"],
                    collector_name=c["collector_name"],
                    register_extract_shown=c["register_extract_shown"],
                ),
                actor=actor,
            )
        except DomainError as error:
            apply_problems(error, form, {"status": None})
        else:
            messages.info(request, _("%(number)s: uthämtad.") % {"number": withdrawal.number})
            return redirect("web:distributor")
    return render(
        request,
        "web/collection.html",
        {
            "withdrawal": withdrawal,
            "recipient": parcel_recipient(withdrawal),
            # PICK-8: a child collects with own ID, or a guardian with a register extract
            "child": is_child(withdrawal.patient, on=clock.today()),
            "form": form,
            "collector_options": [(v, label, "") for v, label in Collection.Collector.choices],
            "id_fields": [
                form["recipient_id_shown"],
                form["collector_id_shown"],
                form["register_extract_shown"],
            ],
            "error_items": summary(form),
            "title": page_title(_("Uthämtning %(number)s") % {"number": withdrawal.number}, form),
        },
    )


@require_GET
def label(request: HttpRequest, number: str) -> HttpResponse:
    """The shipping label PDF (rendering it is audited by the service)."""
    actor = actor_of(request)
    withdrawal = _shipment(actor, number)
    pdf = render_label(withdrawal, actor=actor)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="etikett-{withdrawal.number}.pdf"'
    return response
