"""Placing a withdrawal (with a live preview of promise, fees and notices) and showing one."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lmn.core import clock
from lmn.core.actor import Actor
from lmn.core.errors import DomainError, PermissionDenied
from lmn.delivery.details import DeliveryRequest, Destination, NotifyBy, Speed
from lmn.delivery.models import PickupPoint, RegionPolicy
from lmn.delivery.policy import region_policy
from lmn.delivery.regions import region_of_postcode
from lmn.delivery.rules import (
    ORDERABLE_DESTINATIONS,
    DeliveryPlan,
    destination_options,
)
from lmn.patients.models import Patient
from lmn.patients.services import record_patient_read
from lmn.prescriptions.queries import orderable_prescriptions_of
from lmn.withdrawals.cost import OrderCost, order_cost
from lmn.withdrawals.permissions import speed_choices
from lmn.withdrawals.queries import entitlements_for, get_withdrawal
from lmn.withdrawals.services import (
    IdempotencyConflict,
    LineDraft,
    WithdrawalDraft,
    place_withdrawal,
    preview_withdrawal,
)
from lmn.withdrawals.timeline import timeline

from ..errors import apply_problems, summary
from ..forms.fields import quantity_field_name
from ..forms.ordering import NOTIFY_LABELS, DeliveryForm, QuantitiesForm, multi_family
from ..ordering import pickup_results
from ..templatetags.nhs import kronor
from .common import actor_of, is_htmx, page_title, visible_patient
from .withdrawal_changes import why_not

DELIVERY_FIELDS = (
    "destination",
    "speed",
    "street",
    "postcode",
    "city",
    "care_of",
    "door_code",
    "entry_phone",
    "name_on_door",
    "leave_outside",
    "phone",
    "email",
    "contact_person",
    "notify_by",
    "pickup_point_id",
)
FORM_FIELDS = (*DELIVERY_FIELDS, "multi_family")
CONFLICT = gettext_lazy(
    "Beställningen har redan skickats med andra uppgifter. Kontrollera uppgifterna och skicka igen."
)


@dataclass
class OrderForms:
    """The ordering page's two forms and what they were built from."""

    patient: Patient
    prescriptions: list[Any]
    quantities: QuantitiesForm
    delivery: DeliveryForm
    speeds: Any

    def draft(self, *, partial: bool = False) -> WithdrawalDraft | None:
        """The draft the forms describe, or None while either form has errors.

        With `partial`, what did parse even so: the domain then checks its rules on it,
        so that one answer names every problem, not only the forms' own.
        """
        valid = [self.quantities.is_valid(), self.delivery.is_valid()]  # both, always
        if not all(valid) and not partial:
            return None
        d = {"multi_family": False, **self.delivery.cleaned_data}
        request = DeliveryRequest(**{name: d[name] for name in DELIVERY_FIELDS if name in d})
        if request.destination == Destination.DOOR:
            request.multi_family = multi_family(self.patient, {"street": "", "postcode": "", **d})
            request.pickup_point_id = ""
        elif request.destination == Destination.UNIT:
            # SKYDD-5: the domain fills in the unit's address
            request.street = request.postcode = request.city = request.pickup_point_id = ""
        else:
            request.street = request.postcode = request.city = ""
        lines = [LineDraft(prescription_id=pid, quantity=q) for pid, q in self.quantities.lines()]
        return WithdrawalDraft(patient=self.patient, lines=lines, delivery=request)


def _forms(request: HttpRequest, patient: Patient, actor: Actor) -> OrderForms:
    prescriptions = orderable_prescriptions_of(patient, actor=actor)
    post: QueryDict | None = request.POST if request.method == "POST" else None
    quantities = QuantitiesForm(post, prescriptions=prescriptions)
    chosen_ids = {pid for pid, _q in quantities.lines()} if quantities.is_valid() else set()
    chosen = [p for p in prescriptions if p.pk in chosen_ids] or prescriptions
    speeds = speed_choices(chosen, actor=actor, policy=region_policy())
    address = (
        {}  # SKYDD-5: to the unit; the person's own address is never offered
        if patient.protected
        else {"street": patient.street, "postcode": patient.postcode, "city": patient.city}
    )
    delivery = DeliveryForm(
        post,
        speeds=speeds.allowed,
        destinations=destination_options(protected=patient.protected),
        initial={**address, "idempotency_key": uuid.uuid4()},
    )
    return OrderForms(patient, prescriptions, quantities, delivery, speeds)


def _page(
    request: HttpRequest,
    forms: OrderForms,
    *,
    plan: DeliveryPlan | None = None,
    previewed: bool = False,
    template: str = "web/withdrawal_new.html",
    cost: OrderCost | None = None,
) -> HttpResponse:
    entitlements = entitlements_for(forms.prescriptions)
    quantities, delivery = forms.quantities, forms.delivery
    rows = [
        (p, entitlements[p.pk], quantities[quantity_field_name(p.pk)]) for p in forms.prescriptions
    ]
    q = delivery["pickup_q"].value() or ""
    selected_code = delivery["pickup_point_id"].value() or ""
    points, selected = pickup_results(str(q), str(selected_code))
    policy = region_policy()
    choices = _choices(
        delivery,
        forms.speeds.allowed,
        policy,
        destination_options(protected=forms.patient.protected),
    )
    # what the speed section shows; the live preview swaps it in only when this changes,
    # so a radio being chosen keeps its focus
    speeds_key = hashlib.sha256(
        repr((choices["speed_options"], forms.speeds.unavailable)).encode()
    ).hexdigest()[:16]
    live = template.endswith("#summary")
    return render(
        request,
        template,
        {
            **choices,
            "speeds_key": speeds_key,
            "speeds_changed": live and request.POST.get("speeds_shown") != speeds_key,
            "live": live,
            "patient": forms.patient,
            "rows": rows,
            "quantities": quantities,
            "delivery": delivery,
            "speeds": forms.speeds,
            "policy": policy,
            "registered_multi_family": forms.patient.dwelling == "multi_family",
            "pickup_q": q,
            "points": points,
            "selected_point": selected,
            "plan": plan,
            "cost": cost,
            "previewed": previewed,
            "error_items": summary(quantities, delivery),
            "title": page_title(_("Nytt uttag"), quantities, delivery),
        },
    )


def _choices(
    delivery: DeliveryForm,
    speeds: list[str],
    policy: RegionPolicy,
    destinations: tuple[str, ...] = ORDERABLE_DESTINATIONS,
) -> dict[str, Any]:
    """Radio options with their hints, and which one is chosen."""
    destination = delivery["destination"].value() or destinations[0]
    speed_hints = _speed_hints(policy, destination, str(delivery["postcode"].value() or ""))
    destination_hints = {
        Destination.DOOR: _("Till dörren, eller ställs utanför om det får ske."),
        Destination.PICKUP_POINT: _("Hämtas inom %(days)s dagar med legitimation.")
        % {"days": policy.pickup_days},
        Destination.UNIT: (
            _(
                "Skyddade personuppgifter: till den förskrivande enheten, c/o den som ansvarar "
                "för leveransen där."
            )
        ),
    }
    return {
        "destination_options": [
            (d, Destination.LABELS[d], destination_hints[d]) for d in destinations
        ],
        "current_destination": destination,
        "speed_options": [(s, Speed.LABELS[s], speed_hints[s]) for s in speeds],
        "current_speed": delivery["speed"].value() or Speed.STANDARD,
        "notify_options": [(n, NOTIFY_LABELS[n], "") for n in NotifyBy.ALL],
        "current_notify": delivery["notify_by"].value() or "",
    }


def _speed_hints(policy: RegionPolicy, destination: str, postcode: str) -> dict[str, str]:
    """Each speed's promise, fee and notification for the destination being chosen."""
    cutoff = "%H:%M"
    days = policy.standard_working_days
    code = "".join(postcode.split())
    # OUT-3: only a complete postcode outside the region changes the promise
    outside = (
        destination == Destination.DOOR
        and len(code) == 5
        and code.isdigit()
        and region_of_postcode(code) != "VG"
    )
    standard = (
        _(
            "Adressen ligger utanför Västra Götaland: leverans inom %(days)s arbetsdagar "
            "garanteras inte."
        )
        % {"days": days}
        if outside
        else _("Inom %(days)s arbetsdagar i Västra Götaland.") % {"days": days}
    )
    emergency_notice = {
        Destination.DOOR: _(" Hemleverans med akut aviseras inte."),
        Destination.PICKUP_POINT: _(" Aviseras med sms när paketet har kommit."),
    }.get(destination, "")
    return {
        Speed.STANDARD: standard,
        Speed.EMERGENCY: (
            _(
                "Nästa vardag om beställningen når distributören före %(cutoff)s. Extra "
                "kostnad %(fee)s för den betalande enheten. Telefonnummer krävs."
            )
            % {
                "cutoff": policy.emergency_cutoff.strftime(cutoff),
                "fee": kronor(policy.fee_emergency),
            }
            + str(emergency_notice)
        ),
        Speed.EXPRESS: (
            _(
                "Samma dag om beställningen når distributören före %(cutoff)s. Extra "
                "kostnad %(fee)s för den betalande enheten. Telefonnummer krävs."
            )
            % {"cutoff": policy.express_cutoff.strftime(cutoff), "fee": kronor(policy.fee_express)}
        ),
    }


@require_http_methods(["GET", "POST"])
def new_withdrawal(request: HttpRequest, patient_id: int) -> HttpResponse:
    # a sent order is audited by placing it; the read only when the page is shown again
    posted = request.method == "POST"
    patient = visible_patient(request, patient_id, audit_read=not posted)
    actor = actor_of(request)
    forms = _forms(request, patient, actor)
    if request.method == "POST" and (draft := forms.draft()) is not None:
        post = request.POST
        try:
            withdrawal, _created = place_withdrawal(
                draft,
                actor=actor,
                idempotency_key=str(forms.delivery.cleaned_data["idempotency_key"]),
            )
        except IdempotencyConflict:
            fresh = post.copy()
            fresh["idempotency_key"] = str(uuid.uuid4())
            forms.delivery = DeliveryForm(
                fresh,
                speeds=forms.speeds.allowed,
                destinations=destination_options(protected=patient.protected),
            )
            forms.delivery.is_valid()
            forms.delivery.add_error(None, CONFLICT)
        except DomainError as error:
            _apply(error, draft.lines, forms.quantities, forms.delivery)
        else:
            messages.success(request, withdrawal.number, extra_tags="withdrawal")
            return redirect("web:withdrawal", number=withdrawal.number)
    elif request.method == "POST":
        _rules_too(forms, actor)
    if posted:
        record_patient_read(patient, actor=actor)
    return _page(request, forms)


def _rules_too(forms: OrderForms, actor: Actor) -> None:
    """The forms have errors: check the domain's rules on what parsed all the same and
    put their problems on the fields that have none yet, so nothing waits for a resubmit."""
    draft = forms.draft(partial=True)
    if draft is None:
        return
    try:
        preview_withdrawal(draft, actor=actor)
    except PermissionDenied:
        return  # said in full when the order itself is sent
    except DomainError as error:
        problems = error.problems
        if forms.quantities.errors:  # "choose a product" is not true of a mistyped amount
            problems = [p for p in problems if p.field != "lines"]
        if problems:
            _apply(DomainError(*problems), draft.lines, forms.quantities, forms.delivery)


@require_POST
def preview(request: HttpRequest, patient_id: int) -> HttpResponse:
    """What the order would promise and cost, before it is confirmed; writes nothing.

    htmx posts the form here on every change and swaps in the summary; without
    JavaScript the "Visa sammanfattning" and pickup search buttons post here and get
    the whole page back.
    """
    patient = visible_patient(request, patient_id)
    actor = actor_of(request)
    forms = _forms(request, patient, actor)
    plan = None
    draft = forms.draft()
    if draft is not None and draft.lines:
        try:
            plan = preview_withdrawal(draft, actor=actor)
        except DomainError as error:
            _apply(error, draft.lines, forms.quantities, forms.delivery)
    elif draft is None:
        _rules_too(forms, actor)
    # the products' cost and who pays, beside the fees (INV-1)
    cost = order_cost(draft, plan, day=clock.today()) if plan and draft else None
    if is_htmx(request):
        return _page(
            request, forms, plan=plan, previewed=True, cost=cost,
            template="web/withdrawal_new.html#summary",
        )  # fmt: skip
    searching = request.POST.get("action") == "search_pickup"
    return _page(request, forms, plan=plan, previewed=not searching, cost=cost)


@require_GET
def pickup_points(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The pickup point choices for a search (htmx swaps them into the ordering form)."""
    visible_patient(request, patient_id)
    q = request.GET.get("pickup_q", "")[:60]
    points, selected = pickup_results(q, request.GET.get("pickup_point_id", "")[:40])
    return render(
        request,
        "web/_pickup_points.html",
        {"points": points, "selected_point": selected, "pickup_q": q},
    )


def _apply(
    error: DomainError, lines: list[LineDraft], quantities: QuantitiesForm, delivery: DeliveryForm
) -> None:
    """Problems about lines go on the quantity fields, delivery problems on the delivery form."""
    line_map: dict[str, str | None] = {
        # "choose at least one product" points at the first quantity field
        "lines": next(iter(quantities.fields), None)
    }
    for i, line in enumerate(lines):
        name = quantity_field_name(line.prescription_id)
        line_map[f"lines[{i}].quantity"] = name
        line_map[f"lines[{i}].prescription_id"] = name
    line_problems = [p for p in error.problems if not (p.field or "").startswith("delivery.")]
    delivery_problems = [p for p in error.problems if (p.field or "").startswith("delivery.")]
    if line_problems:
        apply_problems(DomainError(*line_problems), quantities, line_map)
    if delivery_problems:
        delivery_map: dict[str, str | None] = {f"delivery.{n}": n for n in FORM_FIELDS}
        apply_problems(DomainError(*delivery_problems), delivery, delivery_map)


@require_GET
def withdrawal_detail(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_of(request)
    withdrawal = get_withdrawal(number, actor=actor, channel="web")
    point = (
        PickupPoint.objects.filter(code=withdrawal.pickup_point_id).first()
        if withdrawal.destination == Destination.PICKUP_POINT
        else None
    )
    return render(
        request,
        "web/withdrawal.html",
        {
            "withdrawal": withdrawal,
            "fees": list(withdrawal.fees.all()),
            "pickup_point": point,
            "steps": timeline(withdrawal),
            "change_refusal": why_not(withdrawal, request),
            "title": _("Uttag %(number)s") % {"number": withdrawal.number},
        },
    )
